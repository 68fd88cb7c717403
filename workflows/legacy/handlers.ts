/**
 * Message handlers. Registered synchronously before the first await (signals that arrive
 * earlier are buffered by the SDK; an update without a handler would be rejected). They only
 * record facts in the state; the main loop acts on them.
 */
import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import {
  type CaptureEvent,
  type PauseArgs,
  agoraEventSignal,
  messageDescriptions,
  pauseSignal,
  resumeSignal,
  statusQuery,
  stopSignal,
  stopUpdate,
} from './messages';
import { toStatus } from './report';
import { readAgoraEvents } from '../event-shape';
import type { CaptureRequest } from '../request';
import type { CaptureState } from './state';
import type { CaptureResult } from '../status';

/** Event 44 arrives as pause (video off) / resume (video on) for one stream. */
function videoEvent(args: PauseArgs & { event: CaptureEvent }, state: 0 | 1): CaptureEvent {
  const e = args.event;
  return {
    ...e,
    eventType: 44,
    details: {
      ...e.details,
      streamUid: args.streamUid ?? e.details.streamUid,
      state: e.details.state ?? state,
    },
  };
}

export function registerHandlers(
  s: CaptureState,
  ids: { channel: string; recorderUid: string },
  request: CaptureRequest | undefined,
  outcome: { ended: boolean; result?: CaptureResult },
): void {
  setHandler(statusQuery, () => toStatus(s, ids, request, Date.now()), {
    description: messageDescriptions.status,
  });
  setHandler(stopSignal, (a) => void (s.stopRequested ??= a?.reason ?? 'operator'), {
    description: messageDescriptions.stop,
  });
  // The one edit since the freeze: a malformed event (a signal sent by hand) is dropped, not
  // stored to throw in every later workflow task. Well-formed events are kept as they were.
  setHandler(agoraEventSignal, (a: unknown) => void s.inbox.push(...readAgoraEvents(a).events), {
    description: messageDescriptions.agoraEvent,
  });
  setHandler(
    pauseSignal,
    (a) => {
      if (a?.event) s.inbox.push(videoEvent({ ...a, event: a.event }, 1));
      else s.operatorPauseWanted = true;
    },
    { description: messageDescriptions.pause },
  );
  setHandler(
    resumeSignal,
    (a) => {
      if (a?.event) s.inbox.push(videoEvent({ ...a, event: a.event }, 0));
      else s.operatorPauseWanted = false;
    },
    { description: messageDescriptions.resume },
  );
  setHandler(
    stopUpdate,
    async (a) => {
      s.stopRequested ??= a?.reason ?? 'operator';
      await condition(() => outcome.ended);
      if (!outcome.result) {
        throw ApplicationFailure.nonRetryable(
          `capture ended without a result: ${s.lastError?.message ?? s.endReason}`,
          'CaptureFailed',
        );
      }
      return outcome.result;
    },
    { description: messageDescriptions.stopCapture },
  );
}
