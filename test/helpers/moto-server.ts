/**
 * moto's S3-compatible server (scripts/ensure-moto.sh) as a child process on a free loopback
 * port, for the tests (one per run, from the global setup) and `npm run dev`. With
 * `enforceCredentials`, moto checks every request's SigV4 signature against an IAM access key
 * created here (moto generates its id and secret), so a wrong secret is refused as on AWS.
 * Vitest-free, so scripts can use it.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { freePort } from './free-port';

/** Credentials moto accepts once enforcement is on. */
export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface MotoServer {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  /** The enforced key pair, or undefined when moto accepts any credentials. */
  credentials?: S3Credentials;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Path of `moto_server`, installed into the user cache on first use. */
export function motoServerPath(): string {
  const script = path.join(__dirname, '..', '..', 'scripts', 'ensure-moto.sh');
  return execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

async function waitServing(endpoint: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server at ${endpoint} did not answer within 60 s`);
}

/** One IAM query-API call (unauthenticated: enforcement is not on yet); returns the XML. */
async function iam(endpoint: string, params: Record<string, string>): Promise<string> {
  const body = new URLSearchParams({ ...params, Version: '2010-05-08' });
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      // moto routes by the credential scope's service; the signature is not checked yet.
      authorization:
        'AWS4-HMAC-SHA256 Credential=setup/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0',
    },
    body,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`moto IAM ${params.Action} failed: ${res.status} ${text.slice(0, 300)}`);
  return text;
}

const xmlField = (xml: string, name: string): string => {
  const m = new RegExp(`<${name}>([^<]+)</${name}>`).exec(xml);
  if (!m?.[1]) throw new Error(`moto IAM answer has no ${name}`);
  return m[1];
};

/** Creates an IAM user allowed s3:* and its key, then turns SigV4 and IAM checks on. */
async function enforce(endpoint: string): Promise<S3Credentials> {
  const user = 'agora-capture-test';
  await iam(endpoint, { Action: 'CreateUser', UserName: user });
  await iam(endpoint, {
    Action: 'PutUserPolicy',
    UserName: user,
    PolicyName: 's3-all',
    PolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
    }),
  });
  const key = await iam(endpoint, { Action: 'CreateAccessKey', UserName: user });
  const credentials = {
    accessKeyId: xmlField(key, 'AccessKeyId'),
    secretAccessKey: xmlField(key, 'SecretAccessKey'),
  };
  // From now on every request must be signed by a known key with a permitting policy.
  const res = await fetch(`${endpoint}/moto-api/reset-auth`, { method: 'POST', body: '0' });
  if (!res.ok) throw new Error(`moto reset-auth failed: ${res.status}`);
  return credentials;
}

/** Starts moto on a free port; creates `buckets`; optionally enforces credentials. */
export async function startMotoServer(
  opts: { buckets?: string[]; enforceCredentials?: boolean; logFd?: number } = {},
): Promise<MotoServer> {
  const bin = motoServerPath();
  const port = await freePort();
  const child = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', opts.logFd ?? 'ignore', opts.logFd ?? 'ignore'],
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  try {
    await waitServing(endpoint, child);
    const credentials = opts.enforceCredentials ? await enforce(endpoint) : undefined;
    const s3 = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: credentials ?? { accessKeyId: 'dev', secretAccessKey: 'dev' },
    });
    for (const Bucket of opts.buckets ?? []) await s3.send(new CreateBucketCommand({ Bucket }));
    s3.destroy();
    return { endpoint, ...(credentials ? { credentials } : {}), process: child, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
