/**
 * The capture's own metrics, emitted through the workflow `metricMeter`: the SDK drops them
 * while replaying, so a capture replayed on another worker (crash, cache eviction) does not
 * count its past again. Metrics are not commands: adding or moving them changes no history.
 * They come out of the worker's Prometheus endpoint next to the SDK's `temporal_*` metrics,
 * tagged by the SDK with namespace, task_queue and workflow_type. Workflow code.
 */
import { metricMeter } from '@temporalio/workflow';
import type { CaptureState } from './state';
import type { EndReason, Phase } from '../status';

export const PHASE_ENTERED = 'agora_capture_phase_entered_total';
export const PHASE_EXITED = 'agora_capture_phase_exited_total';
export const STOP_RETRIES = 'agora_capture_stop_retries_total';
export const CAPTURES_ENDED = 'agora_capture_captures_ended_total';

/**
 * Moves the capture to `phase`, counting the exit from the old phase and the entry into the
 * new one (entered − exited = captures in that phase now, per label set).
 */
export function enterPhase(s: CaptureState, phase: Phase): void {
  if (s.phase === phase) return;
  const from = s.phase;
  s.phase = phase;
  // initialState starts in ACQUIRING without counting it; the first setPhase('ACQUIRING') is a no-op above.
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
export function countStopRetry(reason: 'not-found'): void {
  metricMeter
    .createCounter(STOP_RETRIES, '', 'stop calls repeated by the workflow (404 during the failover window).')
    .add(1, { reason });
}
