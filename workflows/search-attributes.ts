/** Search attributes of a capture. Never secrets: search attributes are stored unencrypted. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CAPTURE_CHANNEL = defineSearchAttributeKey('CaptureChannel', SearchAttributeType.KEYWORD);
export const CAPTURE_PHASE = defineSearchAttributeKey('CapturePhase', SearchAttributeType.KEYWORD);

/** Every key, for servers that must register them (`--search-attribute Name=Keyword`). */
export const CAPTURE_SEARCH_ATTRIBUTES = [CAPTURE_CHANNEL, CAPTURE_PHASE];
