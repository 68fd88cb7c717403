/**
 * The capture's messages. Operators send them from the Temporal UI or
 * `temporal workflow signal|query|update`; every argument is one JSON object.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CaptureResult, CaptureStatus } from './status';

export interface StopArgs {
  /** Free text recorded as the stop reason (shown in status and result). */
  reason?: string;
}

/** Ask the capture to stop now; the Agora session is stopped and the run completes. */
export const stopSignal = defineSignal<[StopArgs?]>('stop');

/** Stop now and return the final result once Agora's session is stopped. */
export const stopUpdate = defineUpdate<CaptureResult, [StopArgs]>('stopCapture');

/** The capture's live status: phase, Agora ids, deadline, last error. */
export const statusQuery = defineQuery<CaptureStatus>('status');

export const messageDescriptions = {
  stop: 'Stop the capture now. Input: {"reason": "..."} (optional).',
  stopCapture: 'Stop the capture and wait for the final result. Input: {"reason": "..."} (optional).',
  status: 'Live status: phase, resourceId/sid, deadline, last error.',
} as const;
