/**
 * The CLI's dispatcher: picks the command, runs it with a lazy Temporal connection, and turns
 * every expected error into a message and an exit code (0 ok, 1 failure, 2 usage).
 */
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
import { TemporalConfigError } from '../temporal-connection';
import { CliFailure, EXIT, UsageError } from './errors';
import { type CliIo, processIo } from './io';
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
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    io.err(`${name === undefined ? 'missing command' : `unknown command: ${name}`}\n\n${usageOf()}\n`);
    return EXIT.usage;
  }
  let ctx: ReturnType<typeof createContext> | undefined;
  try {
    ctx = createContext(io, cliSettings(env));
    return await command(rest, ctx);
  } catch (e) {
    if (e instanceof TemporalConfigError) {
      io.err(`agora-capture ${name}: ${e.message}\n`);
      return EXIT.usage;
    }
    if (e instanceof UsageError) {
      io.err(`agora-capture ${name}: ${e.message}\n${shortUsage(e.command)}\n`);
      return EXIT.usage;
    }
    if (e instanceof CliFailure) {
      io.err(`agora-capture ${name}: ${e.message}\n`);
      return e.code;
    }
    io.err(
      `agora-capture ${name}: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    return EXIT.failure;
  } finally {
    await ctx?.close();
  }
}
