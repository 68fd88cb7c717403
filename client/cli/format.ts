/** Human-readable renderings of statuses, results and lists. JSON output never goes through here. */
import type { CaptureSummary } from '../api';
import type { ExecutionInfo } from './execution';
import type { CaptureResult, CaptureStatus, ManifestResult } from '../../workflows/status';
import { CONTROL_CHARS } from '../../workflows/commands';
import { formatDuration } from './duration';
import { fateText, type SessionFate } from '../session-fates';

/**
 * Text from outside the CLI (a stop or pause reason, an error message) with its control
 * characters escaped: a reason must not clear the screen or add a line of its own.
 */
export function printable(text: string): string {
  return text.replace(new RegExp(CONTROL_CHARS.source, 'g'), (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    const code = c.charCodeAt(0);
    return (
      named[c] ??
      (code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`)
    );
  });
}

/** "2024-05-01 10:22:03Z": second precision is plenty for a terminal. */
export function shortTime(t: string | Date | undefined): string {
  if (t === undefined) return '';
  const d = typeof t === 'string' ? new Date(t) : t;
  return Number.isNaN(d.getTime()) ? String(t) : `${d.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** "(12s ago)" / "(in 1h2m)" / "(now)" relative to `now`. */
function relative(iso: string | undefined, now: number): string {
  if (!iso) return '';
  const delta = Math.round((Date.parse(iso) - now) / 1000);
  if (delta === 0) return '(now)';
  return delta > 0 ? `(in ${formatDuration(delta)})` : `(${formatDuration(-delta)} ago)`;
}

/** Aligned `key  value` lines, skipping empty values. */
function block(title: string, rows: Array<[string, string | number | undefined]>): string {
  const kept = rows.filter(([, v]) => v !== undefined && v !== '');
  const width = Math.max(0, ...kept.map(([k]) => k.length));
  return [printable(title), ...kept.map(([k, v]) => `  ${k.padEnd(width)}  ${printable(String(v))}`)].join(
    '\n',
  );
}

/**
 * The header of `status`: the phase while the workflow runs (or completed normally), else the
 * execution status first, so a terminated capture never reads as live.
 */
export function statusHeader(workflowId: string, phase: string | undefined, x?: ExecutionInfo): string {
  if (!x) return `${workflowId}  ${phase ?? ''}`.trimEnd();
  if (x.status === 'RUNNING' || x.status === 'COMPLETED')
    return `${workflowId}  ${phase ?? '(phase unknown)'}  (workflow ${x.status})`;
  return `${workflowId}  ${x.status}  (${phase ? `last recorded phase ${phase}` : 'phase unknown'})`;
}

/**
 * Rows about the workflow execution itself: status, when it closed, why it failed. `ownEnd`:
 * the capture's status has its own end reason row, which "how it ended" of a completed run
 * would only repeat.
 */
function executionRows(
  x: ExecutionInfo | undefined,
  now: number,
  ownEnd = false,
): Array<[string, string | undefined]> {
  if (!x) return [];
  const issues = x.failure?.issues?.map((i) => `${i.field}: ${i.rule}`).join('; ');
  return [
    [
      'workflow',
      `${x.status}${x.closeTime ? ` at ${shortTime(x.closeTime)} ${relative(x.closeTime, now)}` : ''}`,
    ],
    // A failure has its own row in plain words; the chain would repeat it.
    ['how it ended', x.failure || (ownEnd && x.status === 'COMPLETED') ? undefined : x.ended],
    ['failure', x.failure ? (issues ? `invalid capture request: ${issues}` : x.failure.message) : undefined],
  ];
}

/** `status` without the capture's own status (the query got no answer): Temporal's view only. */
export function formatExecutionOnly(
  workflowId: string,
  x: ExecutionInfo,
  why: string,
  now = Date.now(),
  fates?: SessionFate[],
): string {
  return block(statusHeader(workflowId, undefined, x), [
    ...executionRows(x, now),
    ['started', `${shortTime(x.startTime)} ${relative(x.startTime, now)}`],
    ['phase', `unknown: ${why}`],
    ['left open', fates?.map(fateText).join('; ')],
  ]);
}

/**
 * The `status` command's block; `x` adds Temporal's execution status beside the phase. A run
 * closed without ending itself (terminate, reset, a timeout) shows no deadline, video or pause:
 * those were its last live view, not the present. `fates`: where the sweep is with the sessions
 * a closed run left listed.
 */
export function formatStatus(
  s: CaptureStatus,
  now = Date.now(),
  x?: ExecutionInfo,
  fates?: SessionFate[],
): string {
  const abandoned = x !== undefined && x.status !== 'RUNNING' && s.endedAt === undefined;
  return block(statusHeader(s.workflowId, s.phase, x), [
    ...executionRows(x, now, s.endReason !== undefined),
    ['left open', fates?.map(fateText).join('; ')],
    ['channel', s.channel],
    ['recorder uid', s.recorderUid],
    ['sid', s.sid],
    ['resourceId', s.resourceId],
    ['recording', recordingText(s.recording)],
    ['started', s.startedAt && `${shortTime(s.startedAt)} ${relative(s.startedAt, now)}`],
    [
      'deadline',
      s.deadline && !s.endedAt && !abandoned
        ? `${shortTime(s.deadline)} ${relative(s.deadline, now)}`
        : undefined,
    ],
    ['ended', s.endedAt && `${shortTime(s.endedAt)} ${relative(s.endedAt, now)}`],
    // A run Temporal ended (terminated, timed out) while it was ending: its reason is what it was
    // doing then, not how it ended ("how it ended" says that).
    [abandoned ? 'was ending' : 'end reason', s.endReason && endReasonText(s.endReason, s)],
    ['stop outcome', s.stopOutcome],
    [
      'stop failing',
      s.stopFailingSince &&
        `since ${shortTime(s.stopFailingSince)} ${relative(s.stopFailingSince, now)}: an Agora session may bill and has not been stopped (see last error)`,
    ],
    ['uploading', uploadingText(s.uploadingStatus)],
    ['agora status', s.agoraStatus],
    [
      'last error',
      s.lastError && `${s.lastError.type}: ${s.lastError.message} at ${shortTime(s.lastError.at)}`,
    ],
    [
      'dropped events',
      s.events.malformed
        ? `${s.events.malformed} agoraEvent events that were not Agora callbacks as the receiver forwards them (sent by hand?)`
        : undefined,
    ],
    ['runs', s.runs > 1 ? s.runs : undefined],
    [
      'segments',
      s.segments.length > 1
        ? s.segments
            .map((g) => `${g.sid?.slice(0, 8) ?? '?'}…${g.endedBy ? ` (${g.endedBy})` : ''}`)
            .join(', ')
        : undefined,
    ],
    // Operator-paused: no session receives anything; the last report would read as live.
    ['video', abandoned || s.operatorPaused ? undefined : streamsText(s)],
    ['screenshots', shotsText(s.screenshots)],
    ['paused by', abandoned ? undefined : pauseText(s, now)],
    ['manifest', manifestText(s.manifest)],
    [
      'paused',
      s.pauses.count
        ? `${s.pauses.count}× (video lost ${formatDuration(Math.round(s.pauses.videoLostMs / 1000))}, operator ${formatDuration(Math.round(s.pauses.operatorMs / 1000))})`
        : undefined,
    ],
    [
      'failovers',
      s.failovers.length
        ? s.failovers.map((f) => `new uid ${f.newUid} at ${shortTime(f.at)}`).join(', ')
        : undefined,
    ],
  ]);
}

/**
 * Whose pause it is: "operator since … (2m ago): maintenance" or "video lost: 1001 since …,
 * 1002 since …" (each uid's own time, as Agora reported it).
 */
export function pauseText(s: Pick<CaptureStatus, 'pause'>, now = Date.now()): string | undefined {
  const p = s.pause;
  if (!p) return undefined;
  if (p.by === 'operator')
    return `operator since ${shortTime(p.since)} ${relative(p.since, now)}${p.reason ? `: ${p.reason}` : ''}`;
  const uids = (p.videoLost ?? []).map(
    (l) => `${l.uid} since ${shortTime(l.since)} ${relative(l.since, now)}`,
  );
  return `video lost: ${uids.length ? uids.join(', ') : `since ${shortTime(p.since)}`}`;
}

/** "uid 2002, sid 4f…, ended by agora, uploaded": the recording session beside the screenshots. */
function recordingText(r: CaptureStatus['recording']): string | undefined {
  if (!r) return undefined;
  const parts = [`uid ${r.recorderUid}`, `sid ${r.sid ?? '(not started)'}`];
  if (r.endedBy) parts.push(r.endedBy === 'agora' ? 'ended by Agora' : 'stopped');
  if (r.uploadingStatus) parts.push(uploadingText(r.uploadingStatus)!);
  return parts.join(', ');
}

/**
 * Agora's `uploadingStatus` of the last stop, with what it means when it is not "uploaded"
 * (the stop response's values: uploaded, backuped, unknown).
 */
export function uploadingText(status: string | undefined): string | undefined {
  if (status === 'backuped')
    return "backuped (Agora could not write some files to your storage: they wait on Agora's backup cloud, to be re-delivered)";
  if (status === 'unknown') return 'unknown (Agora did not say whether every file reached your storage)';
  return status;
}

/** "1001 on, 1002 off": per-uid video as Agora last reported it. */
export function streamsText(s: Pick<CaptureStatus, 'streams'>): string | undefined {
  const parts = Object.entries(s.streams).map(
    ([uid, st]) => `${uid} ${st.video === 'receiving' ? 'on' : 'off'}`,
  );
  return parts.length ? parts.join(', ') : undefined;
}

/** "1001: 12 (12:00:05–12:01:00Z)" per uid. */
function shotsText(shots: CaptureStatus['screenshots']): string | undefined {
  const parts = Object.entries(shots).map(
    ([uid, t]) => `${uid}: ${t.count} (${shortTime(t.first).slice(11)}–${shortTime(t.last).slice(11)})`,
  );
  return parts.length ? parts.join('; ') : undefined;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/**
 * "written capture/x/manifest_….json (listed+callbacks, after capture); 1001: 9 found/10 expected
 * 90%, 9 callbacks": what the last reconciliation found, or why there is no manifest.
 */
export function manifestText(m: ManifestResult | undefined): string | undefined {
  if (!m) return undefined;
  const head =
    m.status === 'written'
      ? `written ${m.manifestKey ?? ''} (${m.source}, after ${m.after})`
      : `${m.status} after ${m.after}${m.note ? `: ${m.note}` : ''}`;
  const uids = Object.entries(m.uids).map(([uid, u]) => {
    const found = u.found !== undefined ? `${u.found} found/` : '';
    const expected = u.expected !== undefined ? `${found}${u.expected} expected` : '';
    const coverage = u.coverage !== undefined ? ` ${pct(u.coverage)}` : '';
    return `${uid}: ${expected}${coverage}${expected ? ', ' : ''}${u.callbacks} callbacks`;
  });
  return [head, ...uids].join('; ');
}

/**
 * "stopped (the reason the operator gave)", "agora-ended (what Agora said of it)": the end
 * reason with whatever words came with it.
 */
export function endReasonText(reason: string, why: { stopReason?: string; agoraReason?: string }): string {
  const words = why.stopReason ?? why.agoraReason;
  return words ? `${reason} (${printable(words)})` : reason;
}

/** The final result of a capture that completed. */
export function formatResult(r: CaptureResult): string {
  return block(`${r.workflowId}  ended: ${endReasonText(r.reason, r)}`, [
    ['ran', ranText(r)],
    ['sid', r.sid],
    ['resourceId', r.resourceId],
    ['recording', recordingText(r.recording)],
    ['recording files', r.recording?.files?.map((f) => f.fileName).join(', ')],
    ['started', shortTime(r.startedAt)],
    ['ended', shortTime(r.endedAt)],
    ['stop outcome', r.stopOutcome],
    ['uploading', uploadingText(r.uploadingStatus)],
    ['segments', r.segments > 1 ? r.segments : undefined],
    ['screenshots', shotsText(r.screenshots)],
    ['manifest', manifestText(r.manifest)],
    ['failovers', r.failovers || undefined],
  ]);
}

/** One line for `watch`: phase, sid and where the capture is in its duration. */
export function statusLine(s: CaptureStatus, now = Date.now()): string {
  const parts = [s.phase.padEnd(9)];
  if (s.sid) parts.push(`sid ${s.sid.slice(0, 8)}…`);
  const over = s.endedAt !== undefined || s.phase === 'STOPPED' || s.phase === 'FAILED';
  if (s.startedAt && !over) {
    const elapsed = Math.max(0, Math.round((now - Date.parse(s.startedAt)) / 1000));
    const left = s.deadline ? Math.max(0, Math.round((Date.parse(s.deadline) - now) / 1000)) : undefined;
    parts.push(
      `${formatDuration(elapsed)} elapsed${left !== undefined ? `, ${formatDuration(left)} left` : ''}`,
    );
  }
  const video = s.operatorPaused ? undefined : streamsText(s);
  if (video) parts.push(`video ${video}`);
  const shots = Object.values(s.screenshots).reduce((n, t) => n + t.count, 0);
  if (shots) parts.push(`${shots} shots`);
  if (s.stopReason) parts.push(`stop: ${s.stopReason}`);
  if (s.lastError) parts.push(`last error: ${s.lastError.type}: ${s.lastError.message}`);
  return printable(parts.join('  '));
}

/** A plain text table with a header row; columns are as wide as their widest cell. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/**
 * A capture's phase for a list: of a run that closed without ending itself (terminated, timed
 * out) a live phase is only the last one it recorded, and says so.
 */
function listedPhase(c: CaptureSummary): string {
  if (!c.phase) return '';
  const live = c.phase !== 'STOPPED' && c.phase !== 'FAILED';
  return live && c.status !== 'RUNNING' ? `${c.phase} (last recorded)` : c.phase;
}

/** The `list` command's table. */
export function formatCaptureList(captures: CaptureSummary[]): string {
  if (captures.length === 0) return 'no captures found';
  return formatTable(
    ['WORKFLOW ID', 'STATUS', 'PHASE', 'CHANNEL', 'STARTED', 'CLOSED'],
    captures.map((c) => [
      c.workflowId,
      c.status,
      listedPhase(c),
      c.channel ?? '',
      shortTime(c.startTime),
      shortTime(c.closeTime),
    ]),
  );
}

/**
 * "8s from the first start, 6s of it operator-paused (no Agora session then)": the wall time,
 * never called "captured" since pauses are in it.
 */
function ranText(r: CaptureResult): string {
  // Stopped before Agora started anything (e.g. while QUEUED): there was no first start.
  if (r.segments === 0 && r.startedAt === undefined) return 'not at all: no Agora session was started';
  const secs = (ms: number) => formatDuration(Math.round(ms / 1000));
  const parts = [`${withSeconds(r.capturedSeconds)} from the first start`];
  if (r.pauses?.operatorMs)
    parts.push(`${secs(r.pauses.operatorMs)} of it operator-paused (no Agora session then)`);
  if (r.pauses?.videoLostMs) parts.push(`${secs(r.pauses.videoLostMs)} without video`);
  return parts.join(', ');
}

/** "1h30m (5400 s)"; just "30s" when the short form already is the seconds. */
function withSeconds(seconds: number): string {
  const short = formatDuration(seconds);
  return short === `${seconds}s` ? short : `${short} (${seconds} s)`;
}
