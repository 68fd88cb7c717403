/**
 * Flag parsing on node's util.parseArgs (no CLI framework): strict, so a typo is an exit-2
 * usage error instead of a silently ignored option.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { captureWorkflowId } from '../../workflows/request';
import { DurationSyntaxError, parseDuration } from './duration';
import { UsageError } from './errors';
import { plainParseError } from './flag-errors';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What a command gets: its flag values (strings/booleans) and positionals. */
export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Parses `argv` for `command`; `--help`/`-h` is always accepted. */
export function parseCommand(command: string, argv: string[], options: Options, maxPositionals = 0): Parsed {
  let parsed: Parsed;
  try {
    const r = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
    parsed = { values: r.values, positionals: r.positionals };
  } catch (e) {
    // parseArgs throws TypeError with ERR_PARSE_ARGS_* codes: unknown option, missing value.
    throw new UsageError(plainParseError(e, [...Object.keys(options), 'help']), command);
  }
  if (!parsed.values.help && parsed.positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument: ${parsed.positionals[maxPositionals]}`, command);
  }
  return parsed;
}

/** A string flag's value, or undefined. */
export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** Every flag of `names` that is missing or empty, reported together (not one per run). */
export function requireAll(p: Parsed, names: readonly string[], command: string): void {
  const missing = names.filter((n) => str(p, n) === undefined || str(p, n) === '');
  if (missing.length === 1) throw new UsageError(`--${missing[0]} is required`, command);
  if (missing.length > 1)
    throw new UsageError(`missing required options: ${missing.map((n) => `--${n}`).join(', ')}`, command);
}

/** A required string flag. */
export function required(p: Parsed, name: string, command: string): string {
  const v = str(p, name);
  if (v === undefined || v === '') throw new UsageError(`--${name} is required`, command);
  return v;
}

/** An integer flag; non-integers are a usage error naming the flag (ranges are the validator's job). */
export function int(p: Parsed, name: string, command: string): number | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v.trim())) throw new UsageError(`--${name} must be an integer, got "${v}"`, command);
  return Number(v);
}

/** A duration flag in seconds (`90`, `30m`, `1h30m`); garbage is a usage error naming the flag. */
export function seconds(p: Parsed, name: string, command: string): number | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  try {
    return parseDuration(v);
  } catch (e) {
    if (e instanceof DurationSyntaxError) throw new UsageError(`--${name}: ${e.message}`, command);
    throw e;
  }
}

/** A comma-separated list flag (`1001,1002`); blanks are dropped. */
export function list(p: Parsed, name: string): string[] | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Options naming a capture by channel and uid instead of its workflow id. */
export const TARGET_OPTIONS: Options = { channel: { type: 'string' }, uid: { type: 'string' } };

/** The capture's workflow id, given as the one positional ID (commands that read its storage). */
export function captureId(p: Parsed, command: string): string {
  const id = p.positionals[0];
  if (!id) throw new UsageError('the capture ID is required', command);
  return id;
}

/** The workflow id from the positional ID, or from --channel and --uid (exactly one way). */
export function targetId(p: Parsed, command: string): string {
  const id = p.positionals[0];
  const channel = str(p, 'channel');
  const uid = str(p, 'uid');
  if (id !== undefined) {
    if (channel !== undefined || uid !== undefined)
      throw new UsageError('give either ID or --channel/--uid, not both', command);
    return id;
  }
  if (channel === undefined && uid === undefined)
    throw new UsageError('which capture? give ID or --channel C --uid U', command);
  if (!channel || !uid) throw new UsageError('--channel and --uid go together', command);
  return captureWorkflowId(channel, uid);
}

/** A required duration flag in seconds. */
export function requiredSeconds(p: Parsed, name: string, command: string): number {
  const v = seconds(p, name, command);
  if (v === undefined) throw new UsageError(`--${name} is required`, command);
  return v;
}
