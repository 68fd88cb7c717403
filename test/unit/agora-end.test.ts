import { describe, expect, it } from 'vitest';
import { leaveText } from '../../workflows/agora-end';
import { drainInbox } from '../../workflows/inbox';
import { toResult, toStatus } from '../../workflows/report';
import { type CaptureRequest, validateCaptureRequest } from '../../workflows/request';
import { type CaptureState, initialState } from '../../workflows/state';
import { type CaptureEvent } from '../../workflows/messages';
import { EventScript, SID } from '../helpers/capture-events';
import { captureRequest } from '../helpers/fixtures';

const ids = { channel: 'room42', recorderUid: '527841' };

function request(): CaptureRequest {
  const v = validateCaptureRequest(captureRequest(ids));
  if (!v.ok) throw new Error('fixture invalid');
  return v.request;
}

/** A capture whose one segment received `events` (in that order), ended as agora-ended. */
function endedByAgora(events: CaptureEvent[]): CaptureState {
  const s = initialState('capture/room42/527841');
  s.segments.push({ index: 0, resourceId: 'rid', sid: SID, uid: '527841', startedAtMs: 0, failovers: 0 });
  s.sid = SID;
  s.inbox.push(...events);
  drainInbox(s, request(), 0);
  s.endReason = 'agora-ended';
  return s;
}

const FATAL = { module: 2, errorLevel: 5, errorCode: 0, errorMsg: 'task ended by Agora' };
const FATAL_TEXT = 'Agora cloud recording service error 0 (level 5): task ended by Agora';
const IDLE_TEXT = "Agora's bot left the channel (leaveCode 4: the channel had no users for maxIdleTime)";

describe("why Agora ended a capture, in Agora's words", () => {
  it('keeps the most telling notification whatever order they arrive in', () => {
    const fatalThenExit = new EventScript().error(1, FATAL).exit(2, 1).events;
    expect(toResult(endedByAgora(fatalThenExit), ids, 0).agoraReason).toBe(FATAL_TEXT);
    expect(toResult(endedByAgora([...fatalThenExit].reverse()), ids, 0).agoraReason).toBe(FATAL_TEXT);
    const idle = new EventScript().leave(1, 4).exit(2).events;
    expect(toResult(endedByAgora([...idle].reverse()), ids, 0).agoraReason).toBe(IDLE_TEXT);
  });

  it('says only that the session exited when that is all Agora said', () => {
    const s = endedByAgora(new EventScript().exit(1, 1).events);
    expect(toResult(s, ids, 0).agoraReason).toBe("Agora's session exited (exitStatus 1: abnormally)");
    expect(toStatus(s, ids, request(), 0).segments[0]).toMatchObject({
      endedBy: 'agora',
      agoraEnd: "Agora's session exited (exitStatus 1: abnormally)",
    });
  });

  it('does not take an error below the fatal level as the reason', () => {
    const warning = { module: 1, errorLevel: 3, errorCode: 47, errorMsg: 'upload failed' };
    const s = endedByAgora(new EventScript().error(1, warning).leave(2, 4).events);
    expect(toResult(s, ids, 0).agoraReason).toBe(IDLE_TEXT);
  });

  it('gives no Agora reason for a capture that ended otherwise', () => {
    const s = endedByAgora(new EventScript().leave(1, 16).events);
    s.endReason = 'stopped';
    expect(toResult(s, ids, 0).agoraReason).toBeUndefined();
    expect(toStatus(s, ids, request(), 0).agoraReason).toBeUndefined();
  });

  it('names every leave-code bit that is set', () => {
    expect(leaveText(0)).toBe("Agora's bot left the channel (leaveCode 0: it failed to initialise)");
    expect(leaveText(20)).toBe(
      "Agora's bot left the channel (leaveCode 20: the channel had no users for maxIdleTime, the bot left the channel)",
    );
    expect(leaveText(64)).toBe("Agora's bot left the channel (leaveCode 64)");
  });
});
