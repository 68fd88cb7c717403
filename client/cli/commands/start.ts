/**
 * `agora-capture start`: validate locally, then start (or join) the capture workflow and wait
 * (bounded) for Agora's answer to the start: the sid, or the failure named, exit 1.
 */
import { DEFAULT_START_WAIT_SECONDS, getCapture, type StartedCapture, startCapture } from '../../api';
import { CaptureConflictError, CaptureStartFailedError, InvalidCaptureRequestError } from '../../errors';
import { validateNewCaptureRequest } from '../../../workflows/request';
import { int, list, parseCommand, required, requireAll, requiredSeconds, seconds, str } from '../args';
import { buildCaptureRequest } from '../capture-request';
import { type Command, printedHelp } from '../context';
import { formatDuration } from '../duration';
import { workflowUiLink } from '../env';
import { EXIT, UsageError } from '../errors';
import { invalidRequest } from '../flag-errors';

const OPTIONS = {
  channel: { type: 'string' },
  uid: { type: 'string' },
  interval: { type: 'string' },
  duration: { type: 'string' },
  storage: { type: 'string' },
  'video-uids': { type: 'string' },
  'audio-uids': { type: 'string' },
  'stream-types': { type: 'string' },
  'uid-group': { type: 'string' },
  'max-idle': { type: 'string' },
  prefix: { type: 'string' },
  wait: { type: 'string' },
  'no-wait': { type: 'boolean' },
  'record-uid': { type: 'string' },
  'record-files': { type: 'string' },
  'record-storage': { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** Runs `start`; exit 2 with `field: rule` lines when the request is invalid. */
export const start: Command = async (argv, ctx) => {
  const p = parseCommand('start', argv, OPTIONS);
  if (printedHelp(p, 'start', ctx)) return EXIT.ok;
  requireAll(p, ['channel', 'uid', 'interval', 'duration'], 'start');
  const input = buildCaptureRequest({
    channel: required(p, 'channel', 'start'),
    uid: required(p, 'uid', 'start'),
    intervalSeconds: requiredSeconds(p, 'interval', 'start'),
    durationSeconds: requiredSeconds(p, 'duration', 'start'),
    storage: str(p, 'storage'),
    videoUids: list(p, 'video-uids'),
    audioUids: list(p, 'audio-uids'),
    streamTypes: int(p, 'stream-types', 'start'),
    uidGroup: int(p, 'uid-group', 'start'),
    maxIdleSeconds: seconds(p, 'max-idle', 'start'),
    prefix: str(p, 'prefix'),
    recordUid: str(p, 'record-uid'),
    recordFiles: list(p, 'record-files'),
    recordStorage: str(p, 'record-storage'),
  });
  const noWait = p.values['no-wait'] === true;
  const waitSeconds = seconds(p, 'wait', 'start') ?? DEFAULT_START_WAIT_SECONDS;
  if (noWait && str(p, 'wait') !== undefined)
    throw new UsageError('give either --wait or --no-wait, not both', 'start');
  if (!(waitSeconds > 0 && waitSeconds <= 600))
    throw new UsageError(`--wait must be within (0s, 10m], got ${formatDuration(waitSeconds)}`, 'start');
  // buildCaptureRequest has validated it before connecting (exit 2 even when Temporal is down).
  const v = validateNewCaptureRequest(input);
  if (!v.ok) throw invalidRequest(v.issues, input);

  let started: StartedCapture;
  try {
    started = await startCapture(await ctx.client(), ctx.settings.taskQueue, input, {
      wait: !noWait,
      waitSeconds,
    });
  } catch (e) {
    if (e instanceof InvalidCaptureRequestError) throw invalidRequest(e.issues, input);
    if (e instanceof CaptureConflictError) {
      ctx.io.err(`${e.message}\n${e.fields.map((f) => `  differs: ${f}\n`).join('')}`);
      return EXIT.failure;
    }
    if (e instanceof CaptureStartFailedError) {
      ctx.io.err(
        `start failed: ${e.failureType}: ${e.reason}\n` +
          `  capture ${e.workflowId} ${e.session ?? 'state unknown: see agora-capture status'}\n` +
          `  Temporal UI: ${workflowUiLink(ctx.settings, e.workflowId)}\n`,
      );
      return EXIT.failure;
    }
    throw e;
  }
  const r = v.request;
  const uiUrl = workflowUiLink(ctx.settings, started.workflowId);
  // A running capture an operator paused has released its session: its last sid is stopped.
  const operatorPaused =
    !started.started &&
    started.phase === 'PAUSED' &&
    (await getCapture(await ctx.client(), started.workflowId).catch(() => undefined))?.operatorPaused ===
      true;
  if (p.values.json) {
    const out = {
      workflowId: started.workflowId,
      runId: started.runId,
      sid: started.sid,
      started: started.started,
      phase: started.phase,
      ...(operatorPaused ? { operatorPaused: true } : {}),
      // The server could not wait for Agora's start: sid and phase are not known, not missing.
      ...(started.waitUnsupported ? { waitUnsupported: true } : {}),
      namespace: ctx.settings.namespace,
      taskQueue: ctx.settings.taskQueue,
      channel: r.channel,
      recorderUid: r.recorderUid,
      durationSeconds: r.durationSeconds,
      captureInterval: r.snapshotConfig.captureInterval,
      subscribeUidGroup: r.recordingConfig.subscribeUidGroup,
      ...(r.recording ? { recording: { recorderUid: r.recording.recorderUid } } : {}),
      uiUrl,
    };
    ctx.io.out(`${JSON.stringify(out)}\n`);
  } else {
    ctx.io.out(
      `${started.started ? 'started' : 'already running (same request, nothing changed):'} ${started.workflowId} (run ${started.runId}): channel ${r.channel}, uid ${r.recorderUid}, ` +
        `a screenshot every ${r.snapshotConfig.captureInterval}s for ${formatDuration(r.durationSeconds)}, uid group ${r.recordingConfig.subscribeUidGroup}` +
        (r.recording
          ? `, recorded by uid ${r.recording.recorderUid} (${r.recording.recordingFileConfig.avFileType.join('+')})`
          : '') +
        `\n` +
        `  ${operatorPaused ? pausedLine(started) : agoraLine(started, noWait, waitSeconds)}\n` +
        `  Temporal UI: ${uiUrl}\n`,
    );
  }
  return EXIT.ok;
};

/** What is known of Agora's session, truthfully: its sid, that its start still retries, or nothing. */
function agoraLine(s: StartedCapture, noWait: boolean, waitSeconds: number): string {
  if (noWait)
    return `not waiting for Agora (--no-wait): follow it with "agora-capture status ${s.workflowId}"`;
  if (s.waitUnsupported)
    return (
      `the Temporal server could not wait for Agora's start (it has no update-with-start: it answered UNIMPLEMENTED), ` +
      `so nothing is known of the Agora session yet; follow it with "agora-capture status ${s.workflowId}"`
    );
  if (s.sid) return `Agora sid ${s.sid} (${s.phase ?? 'CAPTURING'})`;
  if (s.phase === 'QUEUED')
    return `Agora's concurrent-task quota is full (acquire answered 406): phase QUEUED, waiting for a slot; follow it with "agora-capture status ${s.workflowId}"`;
  // Ended or ending with no session's sid: say so, never "still retrying".
  if (s.phase === 'STOPPED')
    return `the capture ended before an Agora session started (phase STOPPED): see "agora-capture status ${s.workflowId}"`;
  if (s.phase === 'STOPPING')
    return `the capture is ending with no Agora session confirmed (phase STOPPING): follow it with "agora-capture status ${s.workflowId}"`;
  return (
    `Agora has not answered the start within ${formatDuration(waitSeconds)}: phase ${s.phase ?? 'unknown'}, ` +
    `still retrying; follow it with "agora-capture status ${s.workflowId}"`
  );
}

/** An operator-paused capture runs no Agora session until it is resumed. */
function pausedLine(s: StartedCapture): string {
  return (
    `operator-paused: no Agora session runs (its last one${s.sid ? `, sid ${s.sid},` : ''} was stopped by the pause); ` +
    `continue it with "agora-capture resume ${s.workflowId}"`
  );
}
