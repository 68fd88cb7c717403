/**
 * Flag parsing on node's util.parseArgs (no CLI framework): strict, so a typo is an exit-2
 * usage error instead of a silently ignored option.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CONTROL_CHARS, REASON_MAX } from '../../workflows/commands';
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

/**
 * Parses `argv` for `command`; `--help`/`-h` is always accepted. Also refused here, for every
 * command: a value-taking option given twice (the last value would silently win) and a --reason
 * that breaks reasonProblem's rule.
 */
export function parseCommand(command: string, argv: string[], options: Options, maxPositionals = 0): Parsed {
  let parsed: Parsed;
  let tokens: readonly { kind: string; name?: string; value?: string }[];
  try {
    const r = parseArgs({
      args: negativeValuesJoined(argv, options),
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
      tokens: true,
    });
    parsed = { values: r.values, positionals: r.positionals };
    tokens = r.tokens;
  } catch (e) {
    // parseArgs throws TypeError with ERR_PARSE_ARGS_* codes: unknown option, missing value.
    throw new UsageError(plainParseError(e, [...Object.keys(options), 'help']), command);
  }
  if (parsed.values.help) return parsed;
  if (parsed.positionals.length > maxPositionals)
    throw new UsageError(`unexpected argument: ${parsed.positionals[maxPositionals]}`, command);
  const given = new Set<string>();
  for (const t of tokens) {
    if (t.kind !== 'option' || t.name === undefined || t.value === undefined || options[t.name]?.multiple)
      continue;
    if (given.has(t.name))
      throw new UsageError(`--${t.name} given twice: each option takes one value`, command);
    given.add(t.name);
  }
  const reason = str(parsed, 'reason');
  const problem = reason === undefined ? undefined : reasonProblem(reason);
  if (problem) throw new UsageError(`--reason ${problem}`, command);
  return parsed;
}

/**
 * `--duration -5` as `--duration=-5`. parseArgs refuses a dash-led token after a value-taking
 * option as "ambiguous" (it might be a forgotten value followed by an option), but no option
 * starts with a digit, so a negative number is the value, and the flag's own check then says
 * what it must be.
 */
function negativeValuesJoined(argv: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') return [...out, ...argv.slice(i)];
    const name = token.startsWith('--') ? token.slice(2) : undefined;
    const next = argv[i + 1];
    if (
      name &&
      Object.hasOwn(options, name) &&
      options[name]?.type === 'string' &&
      next &&
      /^-\d/.test(next)
    ) {
      out.push(`${token}=${next}`);
      i++;
    } else out.push(token);
  }
  return out;
}

/**
 * Why `reason` cannot be a --reason, or undefined: the rule of the pause and stop validators
 * (workflows/commands.ts, at most REASON_MAX UTF-16 characters, no control characters), checked
 * before connecting and said with the flag and where the offending character is.
 */
export function reasonProblem(reason: string): string | undefined {
  // C0 (newline and tab included), DEL, C1 and bidirectional controls.
  const control = CONTROL_CHARS.exec(reason);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return `must not contain control characters (C0, DEL, C1, bidirectional; newline and tab included): found U+${code} at character ${control.index + 1}`;
  }
  if (reason.length > REASON_MAX) return `must be at most ${REASON_MAX} characters, got ${reason.length}`;
  return undefined;
}

/** A string flag's value, or undefined. */
export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** Every flag of `names` that is missing or given empty, reported together (not one per run). */
export function requireAll(p: Parsed, names: readonly string[], command: string): void {
  const missing = names.filter((n) => str(p, n) === undefined);
  const problems = [
    ...(missing.length === 1 ? [`--${missing[0]} is required`] : []),
    ...(missing.length > 1 ? [`missing required options: ${missing.map((n) => `--${n}`).join(', ')}`] : []),
    ...names.filter((n) => str(p, n) === '').map(emptyProblem),
  ];
  if (problems.length > 0) throw new UsageError(problems.join('; '), command);
}

/** `--channel ''`: given, so not "required", but empty. */
const emptyProblem = (name: string) => `--${name} must not be empty`;

/** A required string flag. */
export function required(p: Parsed, name: string, command: string): string {
  const v = str(p, name);
  if (v === undefined) throw new UsageError(`--${name} is required`, command);
  if (v === '') throw new UsageError(emptyProblem(name), command);
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
  if (id === undefined) throw new UsageError('the capture ID is required', command);
  if (id === '') throw new UsageError('the capture ID must not be empty', command);
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
    if (id === '') throw new UsageError('the capture ID must not be empty', command);
    return id;
  }
  if (channel === undefined && uid === undefined)
    throw new UsageError('which capture? give ID or --channel C --uid U', command);
  if (channel === undefined || uid === undefined)
    throw new UsageError('--channel and --uid go together', command);
  if (channel === '' || uid === '')
    throw new UsageError(emptyProblem(channel === '' ? 'channel' : 'uid'), command);
  return captureWorkflowId(channel, uid);
}

/** A required duration flag in seconds. */
export function requiredSeconds(p: Parsed, name: string, command: string): number {
  const v = seconds(p, name, command);
  if (v === undefined) throw new UsageError(`--${name} is required`, command);
  return v;
}
