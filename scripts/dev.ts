/**
 * `npm run dev`: the whole local stack in one command, for a new user right after `npm install`.
 * Starts (or reuses) a Temporal dev server with the Web UI, an S3-compatible server (moto) for
 * the screenshots, the Agora emulator uploading to it, and a worker,
 * runs a 30 s demo capture shown live to its end with the emulator's billing entry, then keeps
 * the stack up until Ctrl-C and stops what it started in reverse order.
 *
 * Children run in their own process groups and log to files under .dev/, so the terminal shows
 * only this script's lines and Ctrl-C reaches this script alone: the worker can drain before
 * the server it talks to goes away.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import path from 'node:path';
import { type Client } from '@temporalio/client';
import { startCapture } from '../client/api';
import { buildCaptureRequest } from '../client/cli/capture-request';
import { reportOutcome } from '../client/cli/commands/watch';
import { type CliSettings, cliSettings, workflowUiLink } from '../client/cli/env';
import { processIo } from '../client/cli/io';
import { watchCapture } from '../client/cli/watch';
import { connectClient } from '../client/connection';
import { describeSetup, setupNamespace } from '../client/setup';
import { hasS3Target, s3Target } from '../storage/s3-target';
import { loadStorageProfiles } from '../storage/profiles-file';
import { connectCloseSafe } from '../client/grpc-retry';

const ROOT = path.join(__dirname, '..');
const DEV_DIR = path.join(ROOT, '.dev');
const say = (line: string) => void process.stdout.write(`dev: ${line}\n`);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A child we started: stopped on the way out, in reverse start order. */
interface Started {
  name: string;
  child: ChildProcess;
  log: string;
  /** Where this run's output starts in `log` (logs are appended to, so runs never clobber each other). */
  logOffset: number;
  /** First signal to send; SIGKILL follows after `graceMs`. */
  signal: NodeJS.Signals;
  graceMs: number;
}
const started: Started[] = [];
let shuttingDown = false;
/** Set once everything is up; before that, waitUntil reports a child that died. */
let stackUp = false;

/** Spawns `cmd` detached, with stdout+stderr appended to .dev/<name>.log. */
function launch(
  name: string,
  cmd: string,
  args: string[],
  stop: Pick<Started, 'signal' | 'graceMs'>,
): Started {
  const log = path.join(DEV_DIR, `${name}.log`);
  appendFileSync(
    log,
    `\n--- ${new Date().toISOString()} npm run dev: ${path.basename(cmd)} ${args.join(' ')}\n`,
  );
  const logOffset = statSync(log).size;
  const fd = openSync(log, 'a');
  const child = spawn(cmd, args, { cwd: ROOT, env: process.env, stdio: ['ignore', fd, fd], detached: true });
  const s: Started = { name, child, log, logOffset, ...stop };
  started.push(s);
  child.once('exit', (code, signal) => {
    if (shuttingDown || !stackUp) return;
    say(
      `${name} exited unexpectedly (${signal ?? `code ${code}`}); its log: ${path.relative(ROOT, log)}\n${tail(s)}`,
    );
    void shutdown(1);
  });
  say(`started ${name} (pid ${child.pid}), log: ${path.relative(ROOT, log)}`);
  return s;
}

/** This run's output of a child so far. */
function output(s: Started): string {
  return readFileSync(s.log).subarray(s.logOffset).toString('utf8');
}

function tail(s: Started, lines = 15): string {
  try {
    return output(s)
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .map((l) => `    ${l}`)
      .join('\n');
  } catch {
    return '';
  }
}

/** Polls `check` until true; fails early when any child we started has exited (its log says why). */
async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  child?: Started,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const dead = started.find((c) => c.child.exitCode !== null || c.child.signalCode !== null);
    if (dead)
      throw new Error(
        `${dead.name} exited before ${what}; ${path.relative(ROOT, dead.log)} ends with:\n${tail(dead)}`,
      );
    if (await check().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(
    `timed out after ${timeoutMs / 1000} s waiting for ${what}${child ? `:\n${tail(child)}` : ''}`,
  );
}

async function temporalServing(address: string): Promise<boolean> {
  const conn = await connectCloseSafe({
    address,
    connectTimeout: 1000,
  });
  try {
    await conn.workflowService.getSystemInfo({});
    return true;
  } finally {
    await conn.close();
  }
}

function portInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = tcpConnect({ host, port });
    sock.once('connect', () => resolve(!!sock.destroy()));
    sock.once('error', () => resolve(false));
  });
}

/** Starts the Temporal dev server with the UI, or reuses one already serving the address. */
async function temporal(s: CliSettings): Promise<void> {
  const [host = '127.0.0.1', portText = '7233'] = s.address.split(/:(?=\d+$)/);
  const port = Number(portText);
  if (await temporalServing(s.address).catch(() => false)) {
    say(`a Temporal server is already serving ${s.address}: reusing it (it is left running on exit)`);
    return;
  }
  if (await portInUse(host, port))
    throw new Error(`${s.address} is in use by something that is not a Temporal server`);
  const uiPort = new URL(s.uiUrl).port || String(port + 1000);
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', uiPort];
  args.push('--db-filename', path.join(DEV_DIR, 'temporal.db'), '--log-level', 'warn');
  args.push('--dynamic-config-value', 'history.transferProcessorMaxPollRPS=1000');
  if (s.namespace !== 'default') args.push('--namespace', s.namespace);
  const cli = execFileSync('bash', [path.join(ROOT, 'scripts', 'ensure-temporal.sh')], {
    encoding: 'utf8',
  }).trim();
  const server = launch('temporal', cli, args, { signal: 'SIGTERM', graceMs: 10_000 });
  await waitUntil(`Temporal at ${s.address}`, () => temporalServing(s.address), 60_000, server);
  say(`Temporal is serving ${s.address}; Web UI ${s.uiUrl} (history persists in .dev/temporal.db)`);
}

/** `agora-capture setup`: search attributes and the sweep schedule (a reused server may lack them). */
async function setup(client: Client, s: CliSettings): Promise<void> {
  const report = await setupNamespace(client, { namespace: s.namespace, taskQueue: s.taskQueue });
  for (const line of describeSetup(report, s.namespace)) say(line);
}

/** Starts the callback receiver on RECEIVER_PORT; returns the URL Agora (the emulator) posts to. */
async function receiver(): Promise<string> {
  const base = `http://${process.env.RECEIVER_HOST || '127.0.0.1'}:${process.env.RECEIVER_PORT || '8088'}`;
  // The probes move to their own listener when RECEIVER_ADMIN_PORT is set.
  const probes = process.env.RECEIVER_ADMIN_PORT
    ? `http://${process.env.RECEIVER_ADMIN_HOST || '127.0.0.1'}:${process.env.RECEIVER_ADMIN_PORT}`
    : base;
  const healthy = async () => (await fetch(`${probes}/healthz`, { signal: AbortSignal.timeout(1000) })).ok;
  if (await healthy().catch(() => false)) {
    say(`a receiver is already serving ${base}: reusing it`);
  } else {
    const r = launch('receiver', process.execPath, ['--import', 'tsx', 'client/receiver/main.ts'], {
      signal: 'SIGTERM',
      graceMs: 5_000,
    });
    await waitUntil(`the receiver at ${base}`, healthy, 30_000, r);
    say(`callback receiver is serving ${base}/agora/ncs`);
  }
  return `${base}/agora/ncs`;
}

/**
 * Starts the emulator on AGORA_REST_URL's port, sending signed callbacks to the receiver and
 * playing the demo scenario (a publisher whose video goes off and on); returns its URL, or
 * undefined for real Agora.
 */
async function emulator(callbackUrl: string, s3Endpoint: string | undefined): Promise<string | undefined> {
  const url = new URL(process.env.AGORA_REST_URL || 'http://127.0.0.1:18080');
  if (url.protocol !== 'http:' || !/^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(url.hostname)) {
    say(`AGORA_REST_URL is ${url.origin}, not a loopback emulator: not starting the emulator`);
    return undefined;
  }
  const base = url.origin;
  const healthy = async () =>
    (await fetch(`${base}/__emulator/health`, { signal: AbortSignal.timeout(1000) })).ok;
  if (await healthy().catch(() => false)) {
    say(`an Agora emulator is already serving ${base}: reusing it`);
    return base;
  }
  const args = [
    '--import',
    'tsx',
    'emulator/main.ts',
    '--host',
    url.hostname.replace(/^\[|\]$/g, ''),
    '--port',
    url.port || '80',
    '--callback-url',
    callbackUrl,
    '--scenario',
    'emulator/scenarios/demo.json',
    ...(s3Endpoint ? ['--s3-endpoint', s3Endpoint] : []),
  ];
  const emu = launch('emulator', process.execPath, args, { signal: 'SIGTERM', graceMs: 5_000 });
  await waitUntil(`the emulator at ${base}`, healthy, 30_000, emu);
  say(`Agora emulator is serving ${base}`);
  return base;
}

/**
 * Starts moto (the S3-compatible server, scripts/ensure-moto.sh) on EMULATOR_S3_ENDPOINT's port,
 * or reuses one already there, and creates the buckets of the storage profiles that point at it.
 * Credentials are not enforced here (the example profile's keys are placeholders); the tests
 * enforce them. Returns the endpoint, or undefined when no loopback endpoint is configured.
 */
async function s3Server(): Promise<string | undefined> {
  const configured = process.env.EMULATOR_S3_ENDPOINT;
  if (!configured) {
    say('EMULATOR_S3_ENDPOINT is not set: vendor-1 screenshots go to a local folder');
    return undefined;
  }
  const url = new URL(configured);
  if (url.protocol !== 'http:' || !/^(127\.\d+\.\d+\.\d+|localhost)$/.test(url.hostname)) {
    say(`EMULATOR_S3_ENDPOINT is ${url.origin}, not a loopback server: not starting moto`);
    return url.origin;
  }
  const base = url.origin;
  const healthy = async () =>
    (await fetch(`${base}/moto-api/data.json`, { signal: AbortSignal.timeout(1000) })).ok;
  if (await healthy().catch(() => false)) {
    say(`an S3 server (moto) is already serving ${base}: reusing it`);
  } else {
    if (await portInUse(url.hostname, Number(url.port || 80)))
      throw new Error(`${base} is in use by something that is not moto`);
    const moto = execFileSync('bash', [path.join(ROOT, 'scripts', 'ensure-moto.sh')], {
      encoding: 'utf8',
    }).trim();
    const m = launch('moto', moto, ['-H', url.hostname, '-p', url.port || '80'], {
      signal: 'SIGTERM',
      graceMs: 5_000,
    });
    await waitUntil(`moto at ${base}`, healthy, 60_000, m);
    say(`S3-compatible server (moto) is serving ${base}`);
  }
  // Buckets of the profiles that live on this server (a fresh moto starts empty).
  const profiles = loadStorageProfiles(process.env.AGORA_STORAGE_PROFILES || 'storage-profiles.example.json');
  for (const [name, profile] of Object.entries(profiles)) {
    const t = s3Target(profile);
    if (!hasS3Target(t) || t.endpoint !== base) continue;
    const res = await fetch(`${base}/${t.bucket}`, { method: 'PUT' });
    if (!res.ok && res.status !== 409)
      throw new Error(`creating bucket ${t.bucket} on ${base}: HTTP ${res.status}`);
    say(`bucket ${t.bucket} (storage profile "${name}") is ready on ${base}`);
  }
  return base;
}

/** Starts a worker process; ready once it logs that it is polling. */
async function worker(s: CliSettings): Promise<void> {
  const grace = Number(process.env.WORKER_SHUTDOWN_GRACE_SECONDS || 30) * 1000;
  const w = launch('worker', process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    signal: 'SIGINT',
    graceMs: grace + 5_000,
  });
  await waitUntil(
    `the worker to poll ${s.taskQueue}`,
    async () => output(w).includes('worker polling'),
    90_000,
    w,
  );
  say(`worker is polling task queue ${s.taskQueue}`);
}

/** Runs the demo capture to its end and prints the emulator's billing entry for its session. */
async function demo(client: Client, s: CliSettings, emulatorUrl: string | undefined): Promise<void> {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const request = buildCaptureRequest({
    channel: `demo-${stamp}`,
    uid: process.env.DEMO_RECORDER_UID || '527841',
    intervalSeconds: 5,
    durationSeconds: 30,
  });
  const started = await startCapture(client, s.taskQueue, request);
  const { workflowId } = started;
  say(
    `demo capture ${workflowId}: a screenshot every 5 s for 30 s; ` +
      (started.sid
        ? `Agora started session ${started.sid}`
        : `Agora has not answered yet (${started.phase})`),
  );
  say(
    'the emulated publisher 1001 turns its video off at ~12 s and on at ~20 s: watch the capture pause and resume',
  );
  say(`follow it in the Temporal UI: ${workflowUiLink(s, workflowId)}`);
  const outcome = await watchCapture(client, workflowId, processIo, { intervalMs: 1000 });
  reportOutcome(workflowId, outcome, processIo);
  say(
    `its newest screenshots, with presigned URLs: AGORA_STORAGE_PROFILES=${process.env.AGORA_STORAGE_PROFILES ?? ''} npx agora-capture latest '${workflowId}'`,
  );
  const sid = outcome.kind === 'completed' ? outcome.result.sid : outcome.status?.sid;
  if (!emulatorUrl || !sid) return;
  const ledger = (await (await fetch(`${emulatorUrl}/__emulator/ledger`)).json()) as Array<
    Record<string, unknown>
  >;
  const entry = ledger.find((e) => e.sid === sid);
  if (!entry) return say(`emulator ledger has no session ${sid} (a reused emulator restarted?)`);
  const state = entry.active
    ? 'STILL ACTIVE (leaked session!)'
    : `stopped (ended by ${String(entry.endedBy)}, ${String(entry.stopCalls)} stop call(s))`;
  say(`emulator ledger: session ${sid} billed ${String(entry.billedSeconds)} s, ${state}`);
}

/** What the stack is, once up: read on the way out to say what happens to running captures. */
let live: { client: Client; settings: CliSettings; emulatorUrl: string | undefined } | undefined;

/**
 * Says which captures are still running and what becomes of them when this script stops: the
 * worker goes away, so nothing acts for them until a worker runs again.
 */
async function reportRunningCaptures(): Promise<void> {
  if (!live) return;
  const { client, settings, emulatorUrl } = live;
  const ids: string[] = [];
  try {
    const query = `WorkflowType = 'captureChannelWorkflow' AND ExecutionStatus = 'Running'`;
    await client.withDeadline(Date.now() + 3000, async () => {
      for await (const w of client.workflow.list({ query })) if (ids.push(w.workflowId) >= 20) break;
    });
  } catch (e) {
    say(`could not list running captures (${e instanceof Error ? e.message : String(e)})`);
    return;
  }
  if (ids.length === 0) return say('no capture is running');
  say(`${ids.length} capture(s) still running: ${ids.join(', ')}`);
  const ourServer = started.some((c) => c.name === 'temporal');
  say(
    ourServer
      ? 'they stay in .dev/temporal.db and go on (each to its deadline, then its Agora stop) when you next run npm run dev'
      : `they stay on ${settings.address} and go on when a worker polls ${settings.taskQueue} again`,
  );
  say(
    emulatorUrl
      ? 'their emulated Agora sessions end with the emulator now (nothing bills); a later stop finds them gone'
      : 'their REAL Agora sessions keep billing until a worker runs again: cancel them first (npx agora-capture cancel ID)',
  );
}

/** Stops what we started, newest first, each with a signal then SIGKILL after its grace. */
async function shutdown(code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    await reportRunningCaptures();
    for (const s of [...started].reverse()) {
      if (s.child.exitCode !== null || s.child.signalCode !== null) continue;
      say(`stopping ${s.name}...`);
      const exited = new Promise<void>((r) => s.child.once('exit', () => r()));
      s.child.kill(s.signal);
      const timer = setTimeout(() => s.child.kill('SIGKILL'), s.graceMs);
      await exited;
      clearTimeout(timer);
    }
    say('stopped');
    process.exit(code);
  }
  return new Promise<never>(() => {});
}

async function main(): Promise<void> {
  process.chdir(ROOT);
  const envFile = existsSync('.env') ? '.env' : '.env.example';
  process.loadEnvFile(envFile);
  say(
    `configuration from ${envFile}${envFile === '.env.example' ? ' (copy it to .env to change anything)' : ''}`,
  );
  mkdirSync(DEV_DIR, { recursive: true });
  let firstSignalAt = 0;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      // tsx relays the terminal's SIGINT to us as well, so one Ctrl-C can arrive twice.
      if (shuttingDown)
        return Date.now() - firstSignalAt > 1000 ? say('still stopping, please wait') : undefined;
      firstSignalAt = Date.now();
      process.stdout.write('\n');
      void shutdown(0);
    });
  }
  // Last resort if this script dies of an error: never leave detached children behind.
  process.on('exit', () => started.forEach((s) => s.child.exitCode === null && s.child.kill('SIGKILL')));

  const s = cliSettings();
  await temporal(s);
  const client = await connectClient(s);
  await setup(client, s);
  const s3Endpoint = await s3Server();
  const emulatorUrl = await emulator(await receiver(), s3Endpoint);
  await worker(s);
  stackUp = true;
  live = { client, settings: s, emulatorUrl };
  try {
    await demo(client, s, emulatorUrl);
  } catch (e) {
    say(`demo capture failed: ${e instanceof Error ? e.message : String(e)} (the stack stays up for a look)`);
  }
  say(
    `the stack is running: Temporal ${s.address} (UI ${s.uiUrl}), emulator ${emulatorUrl ?? '-'}, receiver, worker on ${s.taskQueue}`,
  );
  say(`try: npx agora-capture start --channel my-room --uid 4242 --interval 5 --duration 2m`);
  say('press Ctrl-C to stop everything this script started');
  // Reused servers leave nothing of ours to keep the event loop alive; stay up until a signal.
  setInterval(() => {}, 1 << 30);
}

main().catch((e: unknown) => {
  say(`failed: ${e instanceof Error ? e.message : String(e)}`);
  void shutdown(1);
});
