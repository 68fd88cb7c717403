/** Search attributes of a capture. Never secrets: search attributes are stored unencrypted. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CAPTURE_CHANNEL = defineSearchAttributeKey('CaptureChannel', SearchAttributeType.KEYWORD);
export const CAPTURE_PHASE = defineSearchAttributeKey('CapturePhase', SearchAttributeType.KEYWORD);

/**
 * The Agora sids of the capture's sessions (one per segment, the newest that fit in
 * CAPTURE_SIDS_MAX_BYTES, and the recording session's): lets the receiver route by sid after a
 * failover or a rollover (the bot's uid is then not the workflow id's), and `latest` tell the
 * capture's files from others'.
 */
export const CAPTURE_SIDS = defineSearchAttributeKey('CaptureSids', SearchAttributeType.KEYWORD_LIST);

/**
 * Temporal refuses a search attribute value over 2 KB by default and fails the workflow task
 * that upserts it; the server then terminated the capture (59 segments after 59 operator
 * pauses: "value size 2066 exceeds size limit 2048"). The list keeps the newest sids within this budget
 * (about 40): a segment that old ended long ago, and its callbacks came long ago too.
 */
export const CAPTURE_SIDS_MAX_BYTES = 1536;

/** CaptureSids' value: the newest segment sids that fit (oldest first), then the recording's. */
export function capturedSidsValue(segmentSids: readonly string[], recordingSid?: string): string[] {
  const size = (sid: string) => sid.length + 3; // JSON: quotes and a comma
  let bytes = 1 + (recordingSid ? size(recordingSid) : 0);
  let first = segmentSids.length;
  while (first > 0 && bytes + size(segmentSids[first - 1]!) <= CAPTURE_SIDS_MAX_BYTES) {
    first -= 1;
    bytes += size(segmentSids[first]!);
  }
  return [...segmentSids.slice(first), ...(recordingSid ? [recordingSid] : [])];
}

/**
 * Every Agora session of the capture that may still bill, as `resourceId:sid` (`resourceId:`
 * while the sid is unknown): set before a start is scheduled, removed once its stop settled or
 * Agora ended it. A run closed without compensation (terminate, reset) keeps it listed; the
 * sweeper stops what closed runs list here.
 */
export const CAPTURE_OPEN_SESSIONS = defineSearchAttributeKey(
  'CaptureOpenSessions',
  SearchAttributeType.KEYWORD_LIST,
);

/** Every key, for servers that must register them (`agora-capture setup`). */
export const CAPTURE_SEARCH_ATTRIBUTES = [
  CAPTURE_CHANNEL,
  CAPTURE_PHASE,
  CAPTURE_SIDS,
  CAPTURE_OPEN_SESSIONS,
];

/** `temporal server start-dev --search-attribute` / `temporal operator search-attribute create --type` spelling. */
export function cliTypeName(type: SearchAttributeType): string {
  return type === SearchAttributeType.KEYWORD_LIST ? 'KeywordList' : 'Keyword';
}
