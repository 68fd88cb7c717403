/** Search attributes of a capture. Never secrets: search attributes are stored unencrypted. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CAPTURE_CHANNEL = defineSearchAttributeKey('CaptureChannel', SearchAttributeType.KEYWORD);
export const CAPTURE_PHASE = defineSearchAttributeKey('CapturePhase', SearchAttributeType.KEYWORD);

/** Every Agora sid the capture has used (one per segment): lets the receiver route by sid after a failover. */
export const CAPTURE_SIDS = defineSearchAttributeKey('CaptureSids', SearchAttributeType.KEYWORD_LIST);

/** Every key, for servers that must register them (`--search-attribute Name=Type`). */
export const CAPTURE_SEARCH_ATTRIBUTES = [CAPTURE_CHANNEL, CAPTURE_PHASE, CAPTURE_SIDS];

/** `temporal server start-dev --search-attribute` / `temporal operator search-attribute create --type` spelling. */
export function cliTypeName(type: SearchAttributeType): string {
  return type === SearchAttributeType.KEYWORD_LIST ? 'KeywordList' : 'Keyword';
}
