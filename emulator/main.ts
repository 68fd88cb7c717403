/**
 * `npm run emulator -- --port N [--host H] [--bucket-dir D] [--s3-endpoint URL] [--callback-url U]
 * [--scenario F] [--auto-publishers 1001,1002] [--time-scale X] [--qps N] [--max-tasks N]`: runs
 * the emulator as a dev server. `--s3-endpoint` (or EMULATOR_S3_ENDPOINT) is the local stand-in
 * for Amazon S3 that vendor-1 sessions upload their screenshots to. Agora's default quotas apply
 * unless changed: 10 REST requests/s per App ID (`--qps`, EMULATOR_QPS; 0 = no limit) and 50
 * concurrent tasks (`--max-tasks`, EMULATOR_MAX_TASKS).
 * Credentials come from the same variables the worker reads, so a developer points both at one
 * .env. Callbacks: `--callback-url` or EMULATOR_CALLBACK_URL, signed with EMULATOR_NCS_SECRET or
 * else the first of AGORA_NCS_SECRETS (the receiver's list), so both sides agree by default.
 * Each secret may instead come from a file named by `NAME_FILE` (compose secrets), as for the
 * worker and the receiver.
 */
import { readFileSync } from 'node:fs';
import { EnvFileError, resolveEnvFiles } from '../config/env-files';
import { parseScenario, startEmulator, type ScenarioStep } from './index';

/** Reads `--name value` / `--name=value` from argv. */
function flag(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === `--${name}`) return argv[i + 1];
    if (a?.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}

function fail(message: string): never {
  process.stderr.write(`emulator: ${message}\n`);
  process.exit(2);
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) fail(`environment variable ${name} is required`);
  return v;
}

/** The NCS target, or undefined when no callback URL is configured. */
function callbackTarget(argv: readonly string[]): { url: string; secret: string } | undefined {
  const url = flag(argv, 'callback-url') ?? (process.env.EMULATOR_CALLBACK_URL || undefined);
  if (!url) return undefined;
  const secret =
    process.env.EMULATOR_NCS_SECRET || (process.env.AGORA_NCS_SECRETS ?? '').split(',')[0]?.trim();
  if (!secret) fail('a callback URL needs EMULATOR_NCS_SECRET or AGORA_NCS_SECRETS to sign with');
  return { url, secret };
}

/** A non-negative integer option from a flag or an environment variable, else `fallback`. */
function countOption(argv: readonly string[], name: string, envName: string, fallback: number): number {
  const text = flag(argv, name) ?? (process.env[envName] || undefined);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} (${envName}) must be an integer >= 0, got ${text}`);
  return n;
}

function scenarioFrom(path: string | undefined): ScenarioStep[] | undefined {
  if (path === undefined) return undefined;
  try {
    return parseScenario(JSON.parse(readFileSync(path, 'utf8')));
  } catch (e) {
    fail(`--scenario ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Variables the emulator reads that may be given as `NAME_FILE`. */
const FILE_VARIABLES = [
  'AGORA_CUSTOMER_ID',
  'AGORA_CUSTOMER_SECRET',
  'AGORA_APP_CERTIFICATE',
  'AGORA_NCS_SECRETS',
  'EMULATOR_NCS_SECRET',
];

async function main(): Promise<void> {
  try {
    Object.assign(process.env, resolveEnvFiles(process.env, FILE_VARIABLES));
  } catch (e) {
    if (e instanceof EnvFileError) fail(`invalid configuration:\n${e.message}`);
    throw e;
  }
  const argv = process.argv.slice(2);
  const portText = flag(argv, 'port') ?? '0';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`emulator: --port must be an integer in [0, 65535], got ${portText}\n`);
    process.exit(2);
  }
  const scaleText = flag(argv, 'time-scale');
  const timeScale = scaleText === undefined ? undefined : Number(scaleText);
  if (timeScale !== undefined && !(timeScale > 0))
    fail(`--time-scale must be a number > 0, got ${scaleText}`);
  const autoText = flag(argv, 'auto-publishers');
  const autoPublishers = autoText
    ?.split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  const bucketDir = flag(argv, 'bucket-dir');
  const s3Endpoint = flag(argv, 's3-endpoint') ?? (process.env.EMULATOR_S3_ENDPOINT || undefined);
  const callback = callbackTarget(argv);
  const scenario = scenarioFrom(flag(argv, 'scenario'));
  const qps = countOption(argv, 'qps', 'EMULATOR_QPS', 10);
  const maxTasks = countOption(argv, 'max-tasks', 'EMULATOR_MAX_TASKS', 50);
  const emu = await startEmulator({
    appId: required('AGORA_APP_ID'),
    customerId: required('AGORA_CUSTOMER_ID'),
    customerSecret: required('AGORA_CUSTOMER_SECRET'),
    appCertificate: process.env.AGORA_APP_CERTIFICATE || undefined,
    host: flag(argv, 'host') ?? '127.0.0.1',
    port,
    ...(qps > 0 ? { qpsLimit: qps } : {}),
    maxConcurrentTasks: maxTasks,
    log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
    ...(bucketDir ? { bucketDir } : {}),
    ...(s3Endpoint ? { s3Endpoint } : {}),
    ...(callback ? { callback } : {}),
    ...(autoPublishers ? { autoPublishers } : {}),
    ...(timeScale ? { timeScale } : {}),
    // A scripted channel only makes sense if empty channels have consequences too.
    ...(scenario ? { simulateChannels: true } : {}),
  });
  if (scenario) emu.runScenario(scenario);
  process.stdout.write(`agora emulator listening on ${emu.url}\n`);
  if (s3Endpoint) process.stdout.write(`agora emulator uploads vendor-1 screenshots to ${s3Endpoint}\n`);
  process.stdout.write(
    `agora emulator limits: ${qps > 0 ? `${qps} requests/s` : 'no rate limit'}, ${maxTasks} concurrent tasks\n`,
  );
  process.stdout.write(`agora emulator bucket folder: ${emu.bucketDir}\n`);
  if (callback) process.stdout.write(`agora emulator sends callbacks to ${callback.url}\n`);
  const shutdown = (signal: string): void => {
    process.stderr.write(`emulator: ${signal}, closing\n`);
    emu.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`emulator: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
