/**
 * The CLI's dispatcher: picks the command, runs it with a lazy Temporal connection, and turns
 * every expected error into a message and an exit code (0 ok, 1 failure, 2 usage). With --json
 * a failure is also one JSON object on stdout, so a script always has exactly one to read.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cancel } from './commands/cancel';
import { list } from './commands/list';
import { pause, resume } from './commands/pause';
import { setup } from './commands/setup';
import { start } from './commands/start';
import { status } from './commands/status';
import { stop } from './commands/stop';
import { watch } from './commands/watch';
import { type Command, createContext } from './context';
import { cliSettings } from './env';
import { NamespaceNotPreparedError } from '../errors';
import { TemporalConfigError } from '../temporal-connection';
import { CliFailure, EXIT, UsageError } from './errors';
import { type CliIo, processIo, trackedIo } from './io';
import { usageOf } from './usage';

/** The synopsis line and where to find the rest: a full help page would bury the error. */
function shortUsage(command?: string): string {
  const synopsis = usageOf(command).split('\n')[0] ?? '';
  return `${synopsis}\nRun "agora-capture ${command ?? ''}${command ? ' ' : ''}--help" for all options.`;
}

/**
 * The storage commands load the AWS SDK, which is slow to import: required only when they run
 * (a CommonJS require: the CLI runs through tsx's require hook).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const latest: Command = (argv, ctx) =>
  (require('./commands/latest') as typeof import('./commands/latest')).latest(argv, ctx);
const manifest: Command = (argv, ctx) =>
  (require('./commands/manifest') as typeof import('./commands/manifest')).manifest(argv, ctx);
const timeline: Command = (argv, ctx) =>
  (require('./commands/timeline') as typeof import('./commands/timeline')).timeline(argv, ctx);
/* eslint-enable @typescript-eslint/no-require-imports */

const COMMANDS: Record<string, Command> = {
  start,
  stop,
  pause,
  resume,
  status,
  list,
  cancel,
  watch,
  manifest,
  latest,
  timeline,
  setup,
};

/**
 * This package's version, from its package.json: two folders up from the sources (client/cli/,
 * run through tsx) and three from the build (dist/client/cli/, as in the image, which copies
 * package.json beside dist/).
 */
export function packageVersion(dir: string = __dirname): string {
  for (const up of ['../..', '../../..']) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, up, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'agora-capture' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // Not there (or not ours): try the next layout.
    }
  }
  return 'unknown';
}

/** Whether `--json` was given (before a `--` that ends the options). */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/** Runs `agora-capture <argv...>` and resolves to the exit code; never throws. */
export async function runCli(
  argv: string[],
  io: CliIo = processIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(`${usageOf(rest[0])}\n`);
    return EXIT.ok;
  }
  if (name === '--version' || name === 'version') {
    io.out(`agora-capture ${packageVersion()}\n`);
    return EXIT.ok;
  }
  const json = wantsJson(rest);
  const tracked = trackedIo(io);
  /** The human text on stderr and, with --json, `{"error": {message, exitCode, ...details}}` on stdout. */
  const fail = (text: string, message: string, code: number, details?: Record<string, unknown>): number => {
    if (text) tracked.err(text);
    if (json && !tracked.wroteOut())
      tracked.out(`${JSON.stringify({ error: { message, exitCode: code, ...details } })}\n`);
    return code;
  };
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    const message = name === undefined ? 'missing command' : `unknown command: ${name}`;
    return fail(`${message}\n\n${usageOf()}\n`, message, EXIT.usage);
  }
  let ctx: ReturnType<typeof createContext> | undefined;
  try {
    ctx = createContext(tracked, cliSettings(env));
    const code = await command(rest, ctx);
    // A command that reported its own failure on stderr (start's refusals) and printed no JSON.
    if (code !== EXIT.ok && json && !tracked.wroteOut()) return fail('', tracked.errText().trim(), code);
    return code;
  } catch (e) {
    if (e instanceof TemporalConfigError)
      return fail(`agora-capture ${name}: ${e.message}\n`, e.message, EXIT.usage, { issues: e.issues });
    if (e instanceof UsageError)
      return fail(`agora-capture ${name}: ${e.message}\n${shortUsage(e.command)}\n`, e.message, EXIT.usage);
    if (e instanceof NamespaceNotPreparedError)
      return fail(`agora-capture ${name}: ${e.message}\n`, e.message, EXIT.failure, { missing: e.missing });
    if (e instanceof CliFailure)
      return fail(`agora-capture ${name}: ${e.message}\n`, e.message, e.code, e.details);
    const message = `unexpected error: ${e instanceof Error ? e.message : String(e)}`;
    return fail(
      `agora-capture ${name}: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
      message,
      EXIT.failure,
    );
  } finally {
    await ctx?.close();
  }
}
