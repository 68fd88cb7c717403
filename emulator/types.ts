/**
 * Public data shapes of the emulator: endpoints, faults, ledger entries and request records.
 * Kept apart from the implementation so tests and other processes can import them cheaply.
 */

/** The five Cloud Recording REST calls the emulator serves. */
export type Endpoint = 'acquire' | 'start' | 'query' | 'update' | 'stop';

/** All endpoints, in lifecycle order (used to validate admin input). */
export const ENDPOINTS: readonly Endpoint[] = ['acquire', 'start', 'query', 'update', 'stop'];

/** Recording modes accepted on start/query/update/stop paths. */
export type RecordingMode = 'individual' | 'raw';

/** Why a session ended, as recorded in the ledger. */
/**
 * `token-expired`: the recorder's RTC token (or its join privilege) expired while it ran; cloud
 * recording cannot renew it, so the bot is dropped from the channel and the task exits.
 */
export type EndedBy = 'stop' | 'idle' | 'agora' | 'expired' | 'token-expired';

/**
 * One injected fault, consumed by the next matching request: the endpoint's next request, or,
 * with `sid`, the next one naming that session (query, update, stop), so a test can fail one
 * session's stop while another's lands.
 * - `respond`: answer `status`/`body` without performing the call (a string body is sent raw).
 * - `latency`: wait `ms` (real time), then behave normally.
 * - `perform-then-drop`: perform the call, then destroy the socket without answering.
 * - `drop`: destroy the socket without performing anything.
 */
export type Fault = (
  | { kind: 'respond'; status: number; body: unknown }
  | { kind: 'latency'; ms: number }
  | { kind: 'perform-then-drop' }
  | { kind: 'drop' }
) & { sid?: string };

/** One recording session (one successful start), as tests see it. */
export interface LedgerEntry {
  sid: string;
  resourceId: string;
  cname: string;
  uid: string;
  mode: RecordingMode;
  startedAt: number;
  endedAt?: number;
  endedBy?: EndedBy;
  /** Stop requests the emulator performed with a 200 outcome (including ones whose answer was dropped). */
  stopCalls: number;
  /** Whole seconds billed from start to end (or to now while active), rounded up. */
  billedSeconds: number;
  /**
   * The service those seconds are billed under: `recording` for a task with
   * `recordingFileConfig` (its screenshots, if any, are free in the same task), else `screenshot`.
   */
  billedService: 'recording' | 'screenshot';
  active: boolean;
  startBody: unknown;
}

/** One REST request, in arrival order. Admin (`/__emulator/*`) requests are not recorded. */
export interface RequestRecord {
  endpoint: Endpoint | 'other';
  method: string;
  path: string;
  /** Undefined when the socket was destroyed instead of answering. */
  status?: number;
  /** The `code` field of the answer body, when it had one. */
  code?: number;
  at: number;
  /** Kind of the injected fault consumed by this request, if any. */
  fault?: Fault['kind'];
  resourceId?: string;
  sid?: string;
  requestId: string;
}

/** Convenience: a `respond` fault with Agora's service error body `{code, reason}`. */
export function agoraError(status: number, code: number, reason: string, sid?: string): Fault {
  return { kind: 'respond', status, body: { code, reason }, ...(sid !== undefined ? { sid } : {}) };
}
