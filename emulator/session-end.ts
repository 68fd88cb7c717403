/**
 * The notifications that close a session, by how it ended (`event-types/cloud-recording.mdx` in
 * https://github.com/AgoraIO/Docs-Source/tree/HEAD/shared/notification-center-service; the choices where
 * Agora's docs are silent are documented in the README):
 * - stop: 41 with `stopLeaveCode` (default 16, LEAVE_CODE_CLIENT_LEAVE: the bot left on request), 11 exitStatus 0;
 * - idle (maxIdleTime): 41 leaveCode 4 (LEAVE_CODE_NO_USERS), 11 exitStatus 0;
 * - expired (resourceExpiredHour): 41 leaveCode 8 (LEAVE_CODE_TIMER_CATCH), 11 exitStatus 0;
 * - agora (kicked, or a 4th failover): 1 fatal error from the service (module 2, level 5), 11 exitStatus 1;
 * - token-expired (the RTC token cannot be renewed): 1 fatal recorder error (module 0, level 5,
 *   errorCode 109 "token expired", the REST code the recorder module reports), 11 exitStatus 1.
 */
import { LEAVE_CODE, type EventDetails } from './ncs';
import { MAX_FAILOVERS } from './session';
import type { EndedBy } from './types';

/** One notification to emit: event type and its details (without msgName). */
export type EndEvent =
  | { eventType: 1; details: EventDetails[1] }
  | { eventType: 11; details: EventDetails[11] }
  | { eventType: 41; details: EventDetails[41] };

/** The closing notifications, in order. `failovers` tells a 4th failover from a plain kick. */
export function endEvents(by: EndedBy, failovers: number, stopLeaveCode: number): EndEvent[] {
  if (by === 'agora') {
    const errorMsg =
      failovers > MAX_FAILOVERS
        ? `failover #${failovers}: a task migrates at most ${MAX_FAILOVERS} times`
        : 'task ended by Agora';
    return [
      { eventType: 1, details: { module: 2, errorLevel: 5, errorCode: 0, stat: 0, errorMsg } },
      { eventType: 11, details: { exitStatus: 1 } },
    ];
  }
  if (by === 'token-expired') {
    return [
      {
        eventType: 1,
        details: { module: 0, errorLevel: 5, errorCode: 109, stat: 0, errorMsg: 'token expired' },
      },
      { eventType: 11, details: { exitStatus: 1 } },
    ];
  }
  const leaveCode = { stop: stopLeaveCode, idle: LEAVE_CODE.NO_USERS, expired: LEAVE_CODE.TIMER_CATCH }[by];
  return [
    { eventType: 41, details: { leaveCode } },
    { eventType: 11, details: { exitStatus: 0 } },
  ];
}
