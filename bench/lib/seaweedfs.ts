/**
 * SeaweedFS (scripts/ensure-seaweedfs.sh) as the bench's S3 server: one `weed server` process
 * (master, volume, filer and S3 gateway) on loopback ports, SigV4 enforced with one key pair,
 * the given buckets created. A production object store written in Go: per request it costs a
 * fraction of the CPU of moto (Python), which shares the bench's 2 cores with the product.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { canBind } from '../../test/helpers/free-port';

export interface SeaweedServer {
  /** The S3 gateway, http://127.0.0.1:PORT */
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  process: ChildProcess;
  stop(): Promise<void>;
}

export function seaweedPath(): string {
  const script = path.join(__dirname, '..', '..', 'scripts', 'ensure-seaweedfs.sh');
  return execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

/** B such that B..B+3 and their gRPC ports (+10000) are free; weed wants every port ≤ 65535. */
async function portBase(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 25_000);
    const ports = [0, 1, 2, 3].flatMap((i) => [base + i, base + i + 10_000]);
    if ((await Promise.all(ports.map(canBind))).every(Boolean)) return base;
  }
  throw new Error('no free port range for SeaweedFS after 100 tries');
}

async function waitServing(endpoint: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`weed server exited with code ${child.exitCode}`);
    try {
      // Any HTTP answer (403 without a signature) means the S3 gateway is serving.
      await fetch(endpoint, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`SeaweedFS S3 at ${endpoint} did not answer within 60 s`);
}

export async function startSeaweedServer(opts: { buckets: string[] }): Promise<SeaweedServer> {
  const bin = seaweedPath();
  const dir = mkdtempSync(path.join(tmpdir(), 'agora-capture-seaweedfs-'));
  const credentials = {
    accessKeyId: `AK${randomBytes(8).toString('hex')}`,
    secretAccessKey: randomBytes(24).toString('hex'),
  };
  const identities = path.join(dir, 'identities.json');
  writeFileSync(
    identities,
    JSON.stringify({
      identities: [
        {
          name: 'bench',
          credentials: [{ accessKey: credentials.accessKeyId, secretKey: credentials.secretAccessKey }],
          actions: ['Admin', 'Read', 'Write', 'List', 'Tagging'],
        },
      ],
    }),
  );
  const b = await portBase();
  const child = spawn(
    bin,
    [
      'server',
      '-ip=127.0.0.1',
      '-ip.bind=127.0.0.1',
      `-dir=${dir}`,
      `-master.port=${b}`,
      `-volume.port=${b + 1}`,
      '-filer',
      `-filer.port=${b + 2}`,
      '-s3',
      `-s3.port=${b + 3}`,
      `-s3.config=${identities}`,
    ],
    { stdio: 'ignore' },
  );
  const endpoint = `http://127.0.0.1:${b + 3}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        rmSync(dir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', done);
      child.kill('SIGTERM');
    });
  try {
    await waitServing(endpoint, child);
    const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
    // The gateway answers before the filer has a volume to write to: retry the first bucket.
    for (const Bucket of opts.buckets) {
      for (let attempt = 1; ; attempt++) {
        try {
          await s3.send(new CreateBucketCommand({ Bucket }));
          break;
        } catch (e) {
          if (attempt >= 50) throw e;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    }
    s3.destroy();
    return { endpoint, credentials, process: child, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
