/**
 * The image runs: the Dockerfile's own steps carried out in a scratch folder (Node 24, sandboxed
 * with bubblewrap), then the image's worker command and the compose file's receiver command run
 * from that folder — as uid 1000, the folder read-only at /app, secrets as files at
 * /run/secrets/ the way compose mounts them — against a Temporal dev server and the emulator. A
 * capture runs through them and a signed callback is answered by the image's receiver.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCapture, stopCapture } from '../../client/api';
import { type AgoraEmulator, startEmulator } from '../../emulator';
import { type DevServer, startDevServer } from '../helpers/dev-server';
import { APP_ID, CUSTOMER_ID, captureRequest, offlineStorageProfile, SECRETS } from '../helpers/fixtures';
import { freePort } from '../helpers/free-port';
import { httpSend, NCS_SECRET, ncsEvent, ncsRequest, postNcs } from '../helpers/ncs';
import { waitFor } from '../helpers/wait-for';
import { type BuiltImage, buildImage } from './build-image';
import { readCompose, ROOT, serviceEnv, serviceSecrets } from './compose';
import { parseDockerfile } from './dockerfile';
import { bwrapArgs, makeTools, type SandboxSpec } from './sandbox';
import { connectCloseSafe } from '../../client/grpc-retry';

const log = (line: string) => void process.stdout.write(`[image] ${line}\n`);
/** Keep the scratch folder for a look after a failure: IMAGE_CHECK_KEEP=1. */
const keep = process.env.IMAGE_CHECK_KEEP === '1';

/** What each compose secret holds in this check (test credentials, greppable). */
const SECRET_VALUES: Record<string, string> = {
  'agora-customer-secret': SECRETS.customerSecret,
  'agora-app-certificate': SECRETS.appCertificate,
  'agora-ncs-secrets': NCS_SECRET,
  'storage-profiles': JSON.stringify({ default: offlineStorageProfile() }),
};

interface Running {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `argv` in the sandbox; resolves once its stdout matches `ready`. */
function startSandboxed(name: string, spec: SandboxSpec, argv: string[], ready: RegExp): Promise<Running> {
  const child = spawn('bwrap', bwrapArgs(spec, argv), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const running: Running = {
    child,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready within 90 s:\n${out}`)), 90_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve(running);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? sig}) before it was ready:\n${out}`));
    });
  });
}

describe('the image built from the Dockerfile', () => {
  let scratch: string;
  let node24Bin: string;
  let toolsDir: string;
  let image: BuiltImage;
  let server: DevServer;
  let emu: AgoraEmulator;
  let connection: Connection;
  let client: Client;
  let worker: Running;
  let receiver: Running;
  let receiverUrl: string;
  let adminUrl: string;
  const taskQueue = `image-check-${process.pid}`;

  /** How a service of the image runs: as the image's user, /app read-only, its secrets as files. */
  const runSpec = (secrets: Array<{ source: string; target: string }>, env: Record<string, string>) => ({
    node24Bin,
    toolsDir,
    uid: image.uid,
    binds: [
      { src: image.appDir, dest: image.workdir },
      ...secrets.map((s) => ({
        src: path.join(scratch, 'secrets', s.source),
        dest: `/run/secrets/${s.target}`,
      })),
    ],
    env: { ...image.env, HOME: '/tmp', ...env },
    cwd: image.workdir,
  });

  beforeAll(async () => {
    node24Bin = execFileSync('bash', [path.join(ROOT, 'scripts', 'ensure-node24.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
    scratch = mkdtempSync(path.join(tmpdir(), 'agora-capture-image-'));
    log(`scratch folder ${scratch}`);
    toolsDir = path.join(scratch, 'tools');
    makeTools(toolsDir);
    // The check's own npm cache: the runtime stage's `npm cache clean` must not empty the user's.
    const npmCache = path.join(scratch, 'npm-cache');
    mkdirSync(npmCache);
    const stages = parseDockerfile(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
    image = await buildImage({ stages, context: ROOT, scratch, node24Bin, toolsDir, npmCache, log });

    mkdirSync(path.join(scratch, 'secrets'));
    for (const [name, value] of Object.entries(SECRET_VALUES))
      writeFileSync(path.join(scratch, 'secrets', name), value);

    [server, emu] = await Promise.all([
      startDevServer(),
      startEmulator({
        appId: APP_ID,
        customerId: CUSTOMER_ID,
        customerSecret: SECRETS.customerSecret,
        appCertificate: SECRETS.appCertificate,
      }),
    ]);
    connection = await connectCloseSafe({
      address: server.address,
    });
    client = new Client({ connection });

    const compose = readCompose();
    // Compose's own variables, as an operator's .env would set them for this stack.
    const vars = { AGORA_APP_ID: APP_ID, AGORA_CUSTOMER_ID: CUSTOMER_ID };
    // Where this check's servers are, instead of the compose network's service names.
    const local = { TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: taskQueue };
    const w = compose.services.worker!;
    worker = await startSandboxed(
      'worker',
      runSpec(serviceSecrets(w), {
        ...serviceEnv(w, vars),
        ...local,
        AGORA_REST_URL: emu.url,
        LOG_LEVEL: 'INFO',
      }),
      w.command ?? image.cmd,
      /worker polling/,
    );
    const r = compose.services.receiver!;
    const [port, adminPort] = [await freePort(), await freePort()];
    receiver = await startSandboxed(
      'receiver',
      runSpec(serviceSecrets(r), {
        ...serviceEnv(r, vars),
        ...local,
        RECEIVER_HOST: '127.0.0.1',
        RECEIVER_PORT: String(port),
        RECEIVER_ADMIN_HOST: '127.0.0.1',
        RECEIVER_ADMIN_PORT: String(adminPort),
      }),
      r.command!,
      /listening on/,
    );
    receiverUrl = `http://127.0.0.1:${port}`;
    adminUrl = `http://127.0.0.1:${adminPort}`;
  });

  afterAll(async () => {
    await worker?.stop();
    await receiver?.stop();
    await connection?.close();
    await emu?.close();
    await server?.stop();
    if (scratch && !keep) rmSync(scratch, { recursive: true, force: true });
  });

  it('holds production dependencies and the build only, and runs Node 24 as uid 1000', () => {
    expect(existsSync(path.join(image.appDir, 'dist', 'worker', 'main.js'))).toBe(true);
    expect(existsSync(path.join(image.appDir, 'dist', 'workflow-bundle.js'))).toBe(true);
    for (const dev of ['tsx', 'typescript', 'vitest', 'eslint'])
      expect(existsSync(path.join(image.appDir, 'node_modules', dev)), dev).toBe(false);
    for (const source of ['worker', 'workflows', 'client', 'tsconfig.json'])
      expect(existsSync(path.join(image.appDir, source)), source).toBe(false);
    const who = execFileSync(
      'bwrap',
      bwrapArgs(runSpec([], {}), [
        'node',
        '-e',
        'process.stdout.write(process.version + " " + process.getuid())',
      ]),
      { encoding: 'utf8' },
    );
    expect(who).toBe('v24.19.0 1000');
  });

  it('exports the client API with its types, for backend code that depends on the package', () => {
    const pkg = JSON.parse(readFileSync(path.join(image.appDir, 'package.json'), 'utf8')) as {
      exports: Record<string, string | { types: string; default: string }>;
    };
    for (const [name, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue;
      expect(existsSync(path.join(image.appDir, target.types)), `${name} types`).toBe(true);
      expect(existsSync(path.join(image.appDir, target.default)), name).toBe(true);
    }
    const loaded = execFileSync(
      'bwrap',
      bwrapArgs(runSpec([], {}), [
        'node',
        '-e',
        "const c = require('agora-capture/client'); process.stdout.write(['startCapture', 'stopCapture', 'getCapture', 'getWebhookDelivery', 'CaptureStartFailedError', 'CaptureConflictError', 'InvalidCaptureRequestError'].map((n) => n + ':' + typeof c[n]).join(' '))",
      ]),
      { encoding: 'utf8' },
    );
    // The API (the webhook backlog too) and every error it documents, for a backend's instanceof checks.
    expect(loaded).toBe(
      'startCapture:function stopCapture:function getCapture:function getWebhookDelivery:function CaptureStartFailedError:function CaptureConflictError:function InvalidCaptureRequestError:function',
    );
  });

  it('type-checks a strict TypeScript backend against the package, under node16, bundler and node10 resolution', () => {
    // The package as a backend installs it (the image's folder: package.json, dist/, production
    // dependencies), with the `ms` declaration docs/production.md gives for Temporal's own types.
    const consumer = path.join(scratch, 'consumer');
    mkdirSync(path.join(consumer, 'node_modules'), { recursive: true });
    symlinkSync(image.appDir, path.join(consumer, 'node_modules', 'agora-capture'));
    writeFileSync(
      path.join(consumer, 'index.ts'),
      [
        "import { clientSettings, connectClient, getCapture, startCapture, stopCapture, CaptureStartFailedError, type CaptureRequestInput, type CaptureStatus } from 'agora-capture/client';",
        "import { routeEvent, ReplayGuard } from 'agora-capture/receiver';",
        'export async function run(request: CaptureRequestInput): Promise<CaptureStatus> {',
        '  const settings = clientSettings();',
        '  const client = await connectClient(settings);',
        '  try {',
        '    const { workflowId } = await startCapture(client, settings.taskQueue, request);',
        "    await stopCapture(client, workflowId, { reason: 'done', wait: true });",
        '    return await getCapture(client, workflowId);',
        '  } catch (e) {',
        '    if (e instanceof CaptureStartFailedError) throw new Error(e.failureType);',
        '    throw e;',
        '  }',
        '}',
        'export const receiverParts = [routeEvent, ReplayGuard];',
        '',
      ].join('\n'),
    );
    writeFileSync(
      path.join(consumer, 'ms.d.ts'),
      "declare module 'ms' {\n  export type StringValue = string;\n}\n",
    );
    const settings: Record<string, Record<string, string | boolean>> = {
      node16: { module: 'node16', moduleResolution: 'node16' },
      bundler: { module: 'esnext', moduleResolution: 'bundler' },
      // Temporal's and zod's own types default-import CommonJS modules: node10 needs esModuleInterop.
      node10: { module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true },
    };
    for (const [name, resolution] of Object.entries(settings)) {
      const tsconfig = path.join(consumer, `tsconfig.${name}.json`);
      const compilerOptions = {
        strict: true,
        target: 'es2022',
        noEmit: true,
        skipLibCheck: false,
        ...resolution,
      };
      writeFileSync(tsconfig, JSON.stringify({ compilerOptions, files: ['index.ts', 'ms.d.ts'] }));
      try {
        execFileSync(
          process.execPath,
          [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfig],
          {
            encoding: 'utf8',
          },
        );
      } catch (e) {
        throw new Error(
          `tsc with ${name} resolution: ${((e as { stdout?: string }).stdout ?? String(e)).slice(0, 3000)}`,
        );
      }
    }
  });

  it("runs the operator CLI from the build through the image's bin/agora-capture", () => {
    const usage = execFileSync('bwrap', bwrapArgs(runSpec([], {}), ['bin/agora-capture', '--help']), {
      encoding: 'utf8',
    });
    expect(usage).toMatch(/^Usage: agora-capture <command>/);
  });

  it("the image's worker loads the prebuilt workflow bundle", () => {
    expect(worker.output()).toContain('"workflows":"/app/dist/workflow-bundle.js"');
  });

  it("the image's workflow bundle leaves out the zod locales no workflow uses (English only)", () => {
    const bundle = readFileSync(path.join(image.appDir, 'dist', 'workflow-bundle.js'), 'utf8');
    const modules = new Set(bundle.match(/node_modules\/zod\/[\w/.-]+\.c?js/g) ?? []);
    expect([...modules].filter((m) => m.includes('/locales/'))).toEqual([
      'node_modules/zod/v4/locales/en.js',
    ]);
    // zod's ES module build, the one webpack can leave unused modules out of.
    expect([...modules].filter((m) => m.endsWith('.cjs'))).toEqual([]);
  });

  it("runs a capture through the image's worker and answers a signed callback through its receiver", async () => {
    const request = captureRequest({ durationSeconds: 300 });
    const { workflowId } = await startCapture(client, taskQueue, request);
    try {
      const session = await waitFor(() => emu.ledger().find((e) => e.cname === request.channel && e.active), {
        timeoutMs: 60_000,
        what: `an Agora session for ${request.channel} started by the image's worker`,
      });
      const target = { cname: request.channel, uid: request.recorderUid, sid: session.sid };
      const answer = await postNcs(receiverUrl, ncsRequest(ncsEvent.snapshotFile(target)));
      expect(answer.status).toBe(200);
      await waitFor(
        async () => {
          const history = await client.workflow.getHandle(workflowId).fetchHistory();
          return (history.events ?? []).some((e) => {
            const a = e.workflowExecutionSignaledEventAttributes;
            if (a?.signalName !== 'agoraEvent') return false;
            const batch = defaultPayloadConverter.fromPayload<{ events: { eventType: number }[] }>(
              a.input!.payloads![0]!,
            );
            return batch.events.some((ev) => ev.eventType === 45);
          });
        },
        { timeoutMs: 30_000, what: 'the callback as an agoraEvent signal' },
      );
      const result = await stopCapture(client, workflowId, { reason: 'image check', wait: true });
      expect(result).toMatchObject({ reason: 'stopped', sid: session.sid });
      const ended = emu.ledger().find((e) => e.sid === session.sid);
      expect(ended).toMatchObject({ active: false, endedBy: 'stop', stopCalls: 1 });
    } finally {
      await stopCapture(client, workflowId, { reason: 'image check cleanup' }).catch(() => {});
    }
  });

  it("serves the receiver's probes and metrics on the admin port, not on the callback port", async () => {
    expect((await httpSend(adminUrl, { method: 'GET', path: '/readyz' })).status).toBe(200);
    expect((await httpSend(adminUrl, { method: 'GET', path: '/metrics' })).text).toContain(
      'agora_capture_receiver_requests_total{verdict="accepted"} 1',
    );
    expect((await httpSend(receiverUrl, { method: 'GET', path: '/metrics' })).status).toBe(404);
  });
});
