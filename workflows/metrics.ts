/**
 * The capture's own metrics, emitted through the workflow `metricMeter`: the SDK drops them
 * while replaying, so a capture replayed on another worker (crash, cache eviction) does not
 * count its past again. Metrics are not commands: adding or moving them changes no history.
 * They come out of the worker's Prometheus endpoint next to the SDK's `temporal_*` metrics,
 * tagged by the SDK with namespace, task_queue and workflow_type. Workflow code.
 */
import { metricMeter } from '@temporalio/workflow';
import { log } from '@temporalio/workflow';
import type { CaptureState } from './state';
import type { EndReason, Phase } from './status';

export const PHASE_ENTERED = 'agora_capture_phase_entered_total';
export const PHASE_EXITED = 'agora_capture_phase_exited_total';
export const STOP_RETRIES = 'agora_capture_stop_retries_total';
export const CAPTURES_ENDED = 'agora_capture_captures_ended_total';
export const STOP_FAILING = 'agora_capture_stop_failing';

/**
 * Counts a phase change (entered − exited = captures in that phase now, per label set).
 * Only the state machine's `transition` calls it (machine.ts).
 */
export function countPhaseChange(from: Phase, phase: Phase): void {
  metricMeter
    .createCounter(PHASE_EXITED, '', 'Captures that left a phase, by phase.')
    .add(1, { phase: from });
  metricMeter.createCounter(PHASE_ENTERED, '', 'Captures that entered a phase, by phase.').add(1, { phase });
}

/** A capture started (its first run): counts it as entering its initial phase. */
export function countStarted(s: CaptureState): void {
  metricMeter
    .createCounter(PHASE_ENTERED, '', 'Captures that entered a phase, by phase.')
    .add(1, { phase: s.phase });
}

/** A capture left the workflow for good (not continue-as-new). */
export function countEnded(s: CaptureState, reason: EndReason | undefined): void {
  metricMeter
    .createCounter(PHASE_EXITED, '', 'Captures that left a phase, by phase.')
    .add(1, { phase: s.phase });
  metricMeter
    .createCounter(CAPTURES_ENDED, '', 'Captures that ended, by end reason and final phase.')
    .add(1, { reason: reason ?? 'unknown', phase: s.phase });
}

/** stop answered 404 inside Agora's failover window and will be tried again. */
export function countStopRetry(reason: 'not-found' | 'error'): void {
  metricMeter
    .createCounter(
      STOP_RETRIES,
      '',
      'stop rounds repeated by the workflow (404 during the failover window, or a failing stop).',
    )
    .add(1, { reason });
}

/**
 * Alert: stop keeps failing (or the sid of a session that may bill is unknown), so Agora may
 * bill a session nobody can stop. A gauge per capture (label `capture`): 1 while failing, 0
 * once settled; `sum(agora_capture_stop_failing)` is the number of such captures. Set again on
 * every failed round, so a capture that moved to another worker reports there too.
 */
export function reportStopFailing(
  s: CaptureState,
  detail: { resourceId: string; sid?: string; error: string },
): void {
  metricMeter
    .createGauge(STOP_FAILING, 'int', '', 'Captures whose Agora session may bill but cannot be stopped now.')
    .set(1, { capture: s.workflowId });
  log.error('an Agora session may still bill and could not be stopped', {
    workflowId: s.workflowId,
    resourceId: detail.resourceId,
    sid: detail.sid ?? '(unknown)',
    error: detail.error,
  });
}

/** The alert of {@link reportStopFailing} is over. */
export function clearStopFailing(s: CaptureState): void {
  metricMeter
    .createGauge(STOP_FAILING, 'int', '', 'Captures whose Agora session may bill but cannot be stopped now.')
    .set(0, { capture: s.workflowId });
}
