/**
 * What the sweeper hands a session reaper, and the reaper's deterministic workflow id: one
 * reaper per Agora session, so a second sweep (or the receiver, or a new run meeting 53) that
 * finds the same session joins or skips the first reap instead of starting another.
 * Workflow-safe: no Node built-ins.
 */
import type { CaptureRequest } from './request';

/** One possibly-billing session of a closed capture run. */
export interface ReapTarget {
  /** The capture (workflow id and the closed run) the session belonged to. */
  captureWorkflowId: string;
  captureRunId: string;
  /** How that run closed: Terminated, Failed, TimedOut, Canceled, Completed. */
  captureStatus: string;
  channel: string;
  recorderUid: string;
  resourceId: string;
  /** Undefined when the closed run never learned it: the reaper repeats the start to learn it. */
  sid?: string;
  /** Sids from the run's callbacks that no start named; tried only when the start cannot name the sid. */
  candidateSids: string[];
  /** The run's validated request, to repeat the start on the same resourceId (no secrets: names only). */
  request?: CaptureRequest;
  /** When Agora can no longer bill the session (resourceExpiredHour after its start). */
  expiresAtMs: number;
  /** Agora's failover window: a 404 on stop is final only after it (request timings, else 60 s). */
  failoverWindowSeconds: number;
}

/**
 * What became of a session:
 * - `stopped`: our stop ended it; `already-stopped`: Agora says it was over (49, or 404 past the
 *   failover window); `no-recorded-data`: stopped, nothing was recorded (435);
 * - `never-started`: the repeated start proves no session ran on the resourceId;
 * - `unknown`: it may bill on, we could not learn its sid (reported, never claimed stopped);
 * - `expired`: stop kept failing until the resource expired (Agora ends it then).
 */
export type ReapOutcome =
  'stopped' | 'already-stopped' | 'no-recorded-data' | 'never-started' | 'unknown' | 'expired';

export interface ReapResult {
  outcome: ReapOutcome;
  resourceId: string;
  sid?: string;
  captureWorkflowId: string;
  captureRunId: string;
  /** The last Agora error, when the outcome is not a clean stop. */
  lastError?: string;
}

/** 64-bit FNV-1a, hex: a short stable id from a resourceId (up to ~300 chars) and a sid. */
function fnv1a64(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

/** `reap/<hash of resourceId:sid>` (sid empty while unknown). */
export function reapWorkflowId(resourceId: string, sid: string | undefined): string {
  return `reap/${fnv1a64(`${resourceId}:${sid ?? ''}`)}`;
}

/** Workflow type names, for clients that start them by name (the receiver, activities). */
export const SWEEP_WORKFLOW_TYPE = 'captureSweepWorkflow';
export const REAPER_WORKFLOW_TYPE = 'sessionReaperWorkflow';
export const CAPTURE_WORKFLOW_TYPE = 'captureChannelWorkflow';
