/**
 * Plain words for command-line mistakes: node's parseArgs messages explain positional
 * escaping to someone who mistyped a flag, and the capture request's rules speak in API
 * field names and seconds while the operator typed `--duration 2h`.
 */
import type { RequestIssue } from '../../workflows/request';
import { formatDuration } from './duration';

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

/**
 * One line per broken rule, named by the flag the operator typed: "--duration
 * (durationSeconds): must be at most 719h (...)". Fields no flag sets keep their request name.
 */
export function issueLine(i: RequestIssue): string {
  const key = Object.keys(FLAG_OF).find((f) => i.field === f || i.field.startsWith(`${f}.`));
  const f = key ? FLAG_OF[key] : undefined;
  if (!f) return `${i.field}: ${i.rule}`;
  return `${f.flag} (${i.field}): ${f.duration ? inFlagUnits(i.rule) : i.rule}`;
}
