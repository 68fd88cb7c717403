/** What every command receives: where to write, the settings, and a lazy connection. */
import type { Client } from '@temporalio/client';
import type { Parsed } from './args';
import { connectOrFail } from './connect';
import type { CliSettings } from './env';
import type { CliIo } from './io';
import { usageOf } from './usage';

export interface CommandContext {
  io: CliIo;
  settings: CliSettings;
  /** Connects on first use (so --help and usage errors never touch the network). */
  client(): Promise<Client>;
}

/** A command: parses its own argv and returns the exit code. */
export type Command = (argv: string[], ctx: CommandContext) => Promise<number>;

/** A context whose connection is opened once, on demand; `close` releases it. */
export function createContext(io: CliIo, settings: CliSettings): CommandContext & { close(): Promise<void> } {
  let client: Promise<Client> | undefined;
  return {
    io,
    settings,
    client: () => (client ??= connectOrFail(settings)),
    close: async () => {
      const c = await client?.catch(() => undefined);
      await c?.connection.close().catch(() => {});
    },
  };
}

/** Prints the command's help when --help was given; the caller then returns exit 0. */
export function printedHelp(p: Parsed, command: string, ctx: CommandContext): boolean {
  if (!p.values.help) return false;
  ctx.io.out(`${usageOf(command)}\n`);
  return true;
}
