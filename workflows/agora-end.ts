/**
 * Why Agora ended a session, in words, for the capture's status and result (`ended: agora-ended
 * (…)`). Agora's notifications arrive in no set order and say it with different precision: a
 * fatal `cloud_recording_error` (event 1, level 5) names the failure; `recorder_leave` (41) says
 * why the bot left; `session_exit` (11) and our own `query` only say that it ended. The most
 * telling one seen for the segment is kept, whatever the order. Event and code tables:
 * `event-types/cloud-recording.mdx` in
 * https://github.com/AgoraIO/Docs-Source/tree/HEAD/shared/notification-center-service
 */
import type { Segment } from './state';

/** How telling the evidence is: a higher rank replaces a lower one, never the reverse. */
export const EVIDENCE = { ended: 1, leave: 2, fatal: 3 } as const;

/** `recorder_leave` leaveCode bits, in words (LEAVE_CODE_INIT is 0: no bit set). */
const LEAVE_BITS: [number, string][] = [
  [2, 'the recording service received SIGINT'],
  [4, 'the channel had no users for maxIdleTime'],
  [8, 'its timer ran out'],
  [16, 'the bot left the channel'],
];

/** Words for event 41's leaveCode: "Agora's bot left the channel (leaveCode 4: …)". */
export function leaveText(leaveCode: number | undefined): string {
  if (leaveCode === undefined) return "Agora's bot left the channel";
  const words =
    leaveCode === 0
      ? ['it failed to initialise']
      : LEAVE_BITS.filter(([bit]) => leaveCode & bit).map(([, w]) => w);
  return `Agora's bot left the channel (leaveCode ${leaveCode}${words.length ? `: ${words.join(', ')}` : ''})`;
}

/** Records why Agora ended `seg`, unless more telling evidence is already there. */
export function noteAgoraEnd(seg: Segment | undefined, why: string, rank: number): void {
  if (!seg || (seg.agoraEnd && seg.agoraEnd.rank >= rank)) return;
  seg.agoraEnd = { why, rank };
}

/** Words for event 11's exitStatus (0 finished normally, 1 abnormally). */
export function exitText(exitStatus: number | undefined): string {
  const how = exitStatus === 0 ? ': normally' : exitStatus === 1 ? ': abnormally' : '';
  return `Agora's session exited (exitStatus ${exitStatus ?? '?'}${how})`;
}

/** Words for a `query` that found the session exited (status 8, or 20 when abnormal). */
export function queryExitText(status: number): string {
  return `Agora's query found the session exited (status ${status}${status === 20 ? ': abnormally' : ''})`;
}
