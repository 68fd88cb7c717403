/** Search attributes of a capture. Never secrets: search attributes are stored unencrypted. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CAPTURE_CHANNEL = defineSearchAttributeKey('CaptureChannel', SearchAttributeType.KEYWORD);
export const CAPTURE_PHASE = defineSearchAttributeKey('CapturePhase', SearchAttributeType.KEYWORD);

/** Every Agora sid the capture has used (one per segment): lets the receiver route by sid after a failover. */
export const CAPTURE_SIDS = defineSearchAttributeKey('CaptureSids', SearchAttributeType.KEYWORD_LIST);

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
