/**
 * Plain words for command-line mistakes: node's parseArgs messages explain positional
 * escaping to someone who mistyped a flag, and the capture request's rules speak in API
 * field names and seconds while the operator typed `--duration 2h`.
 */
import type { RequestIssue } from '../../workflows/request';
import { formatDuration } from './duration';
import { CliFailure, EXIT } from './errors';

/** parseArgs' error → one plain sentence ("unknown option --durration (did you mean --duration?)"). */
export function plainParseError(e: unknown, known: readonly string[]): string {
  const err = e as { code?: string; message?: string };
  const msg = err.message ?? String(e);
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const opt = /^Unknown option '([^']+)'/.exec(msg)?.[1] ?? msg;
    const guess = closest(opt.replace(/^-+/, ''), known);
    return `unknown option ${opt}${guess ? ` (did you mean --${guess}?)` : ''}`;
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const missing = /^Option '(-[^ ']*)(?:, )?(--[^ ']+)? <value>' argument missing/.exec(msg);
    if (missing) return `${missing[2] ?? missing[1]} needs a value`;
    const noArg = /^Option '([^']+)' does not take an argument/.exec(msg);
    if (noArg) return `${noArg[1]} is a switch and takes no value`;
    // `--channel --uid 1`: the next token looks like an option, not like a value.
    const ambiguous = /^Option '(?:-[^ ']*, )?(--[^ ']+)' argument is ambiguous/.exec(msg);
    if (ambiguous)
      return `${ambiguous[1]} needs a value (a value that starts with - is written ${ambiguous[1]}=-…)`;
  }
  return msg;
}

/** The known option nearest to `typed` (edit distance ≤ 2), if any. */
function closest(typed: string, known: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = distance(typed.toLowerCase(), name);
    if (d <= 2 && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (cur[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** Request fields the `start` flags fill, and whether the flag takes a duration (h/m/s). */
const FLAG_OF: Record<string, { flag: string; duration: boolean }> = {
  channel: { flag: '--channel', duration: false },
  recorderUid: { flag: '--uid', duration: false },
  durationSeconds: { flag: '--duration', duration: true },
  storageProfile: { flag: '--storage', duration: false },
  'snapshotConfig.captureInterval': { flag: '--interval', duration: true },
  'recordingConfig.maxIdleTime': { flag: '--max-idle', duration: true },
  'recordingConfig.subscribeUidGroup': { flag: '--uid-group', duration: false },
  'recordingConfig.streamTypes': { flag: '--stream-types', duration: false },
  'recordingConfig.subscribeVideoUids': { flag: '--video-uids', duration: false },
  'recordingConfig.subscribeAudioUids': { flag: '--audio-uids', duration: false },
  fileNamePrefix: { flag: '--prefix', duration: false },
  'recording.recorderUid': { flag: '--record-uid', duration: false },
  'recording.recordingFileConfig': { flag: '--record-files', duration: false },
  'recording.storageProfile': { flag: '--record-storage', duration: false },
};

/** "N seconds" and "[a, b] seconds" in a rule, rewritten in the units the flag takes (90s, 1h). */
export function inFlagUnits(rule: string): string {
  return rule
    .replace(
      /\[(\d+), (\d+)\] seconds/g,
      (_, a: string, b: string) => `[${formatDuration(+a)}, ${formatDuration(+b)}]`,
    )
    .replace(/(\d+) seconds?\b/g, (_, n: string) => formatDuration(+n));
}

/** A broken rule as the operator sees it: the flag that sets the field (if any) and the rule. */
export interface FlagIssue {
  field: string;
  flag?: string;
  rule: string;
}

/** The value at a dotted request path (`recordingConfig.subscribeVideoUids.1`), if any. */
function valueAt(input: unknown, field: string): unknown {
  let cur = input;
  for (const key of field.split('.')) {
    if (typeof cur !== 'object' || cur === null || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/**
 * The uid rule says "an integer from 1 to N written as a string", which `01` is to a reader:
 * what it breaks is the rule against leading zeros, so that is what the line says.
 */
function ruleForValue(i: RequestIssue, input: unknown): string {
  const range = /must be an integer from 1 to (\d+) written as a string/.exec(i.rule);
  const value = valueAt(input, i.field);
  if (!range || typeof value !== 'string' || !/^0+[1-9]\d*$/.test(value)) return i.rule;
  const plain = value.replace(/^0+/, '');
  if (Number(plain) > Number(range[1])) return i.rule;
  return i.rule.replace(
    range[0],
    `must be an integer from 1 to ${range[1]} without leading zeros: ${plain}, not ${value}`,
  );
}

/** `i` named by its flag, its rule in the flag's units and, given the request, for the value typed. */
export function flagIssue(i: RequestIssue, input?: unknown): FlagIssue {
  const key = Object.keys(FLAG_OF).find((f) => i.field === f || i.field.startsWith(`${f}.`));
  const f = key ? FLAG_OF[key] : undefined;
  const rule = ruleForValue(i, input);
  if (!f) return { field: i.field, rule };
  return { field: i.field, flag: f.flag, rule: f.duration ? inFlagUnits(rule) : rule };
}

/**
 * One line per broken rule, named by the flag the operator typed: "--duration
 * (durationSeconds): must be at most 719h (...)". Fields no flag sets keep their request name.
 */
export function issueLine(i: RequestIssue): string {
  return flagLine(flagIssue(i));
}

function flagLine(f: FlagIssue): string {
  return f.flag ? `${f.flag} (${f.field}): ${f.rule}` : `${f.field}: ${f.rule}`;
}

/**
 * The request's issues as flags, each line once: a value can break two checks that state the
 * same rule (`--uid abc` is neither digits nor at most 4294967295), which reads as one mistake.
 */
export function flagIssues(issues: readonly RequestIssue[], input: unknown): FlagIssue[] {
  const seen = new Set<string>();
  return issues
    .map((i) => flagIssue(i, input))
    .filter((f) => {
      const line = flagLine(f);
      if (seen.has(line)) return false;
      seen.add(line);
      return true;
    });
}

/** An invalid capture request built from flags: exit 2, one line per rule, `issues` under --json. */
export function invalidRequest(issues: readonly RequestIssue[], input: unknown): CliFailure {
  const flagged = flagIssues(issues, input);
  return new CliFailure(
    `invalid capture request:\n${flagged.map((f) => `  ${flagLine(f)}`).join('\n')}`,
    EXIT.usage,
    { issues: flagged },
  );
}
