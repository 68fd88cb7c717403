/**
 * What became of the Agora sessions a closed capture run left listed as open (terminate, reset
 * and a timeout run no compensation): each is the sweep's to stop, through one reaper workflow
 * per session (`reap/<hash>`, workflows/reap-target.ts). Read from that reaper, so the CLI can
 * say "stopped by the sweep", "being stopped" or "not swept yet" instead of repeating the
 * closed run's last view of a live session.
 */
import { type Client, ServiceError, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { parseOpenSessionValue } from '../activities/open-sessions';
import { type ReapOutcome, type ReapResult, reapWorkflowId } from '../workflows/reap-target';

/** One open session of a closed run and where the sweep is with it. */
export interface SessionFate {
  /** As the run listed it: `resourceId:sid` (`resourceId:` when its sid was never learned). */
  session: string;
  sid?: string;
  /** The sweep's reaper for this session. */
  reapWorkflowId: string;
  /**
   * `not-swept-yet`: no reaper yet (the sweep runs every minute by default); `sweeping`: its
   * reaper runs; `done`: it ended with `outcome`; `reaper-failed`: it ended without one (failed,
   * terminated, timed out, cancelled; `error` says how); `unreadable`: Temporal could not be
   * asked about the reaper or its result (`error`).
   */
  state: 'not-swept-yet' | 'sweeping' | 'done' | 'reaper-failed' | 'unreadable';
  outcome?: ReapOutcome;
  error?: string;
}

/** Where the sweep is with each of `sessions` (`resourceId:sid` strings); never throws. */
export async function sessionFates(client: Client, sessions: readonly string[]): Promise<SessionFate[]> {
  return Promise.all(sessions.map((session) => sessionFate(client, session)));
}

async function sessionFate(client: Client, session: string): Promise<SessionFate> {
  const { resourceId, sid } = parseOpenSessionValue(session) ?? { resourceId: session };
  const base = { session, ...(sid ? { sid } : {}), reapWorkflowId: reapWorkflowId(resourceId, sid) };
  const handle = client.workflow.getHandle(base.reapWorkflowId);
  try {
    const d = await handle.describe();
    if (d.status.name === 'RUNNING') return { ...base, state: 'sweeping' };
    try {
      const r = (await client.workflow.getHandle(base.reapWorkflowId, d.runId).result()) as ReapResult;
      return { ...base, state: 'done', outcome: r.outcome, ...(r.lastError ? { error: r.lastError } : {}) };
    } catch (e) {
      // Only a run that ended without an outcome is the reaper's failure; a result Temporal
      // could not give (unavailable, deadline, permission) says nothing of the reaper.
      if (e instanceof WorkflowFailedError || ENDED_WITHOUT_OUTCOME.has(d.status.name))
        return { ...base, state: 'reaper-failed', error: `${d.status.name}: ${said(e)}` };
      return { ...base, state: 'unreadable', error: `result of its ${d.status.name} run: ${said(e)}` };
    }
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) return { ...base, state: 'not-swept-yet' };
    return { ...base, state: 'unreadable', error: said(e) };
  }
}

/** Closed statuses of a run that gives no result. */
const ENDED_WITHOUT_OUTCOME = new Set(['FAILED', 'TERMINATED', 'TIMED_OUT', 'CANCELLED']);

/** The error's message, with the gRPC status the client wrapped ("Failed to …: 14 UNAVAILABLE: …"). */
function said(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  return e instanceof ServiceError && e.cause instanceof Error
    ? `${e.message}: ${e.cause.message}`
    : e.message;
}

/** "sid dcdc3433…: stopped by the sweep" — one phrase per session, for terminals. */
export function fateText(f: SessionFate): string {
  const who = f.sid ? `sid ${f.sid.slice(0, 8)}…` : `resource ${f.session.slice(0, 12)}… (sid never learned)`;
  switch (f.state) {
    case 'not-swept-yet':
      return `${who}: not swept yet (the sweep stops it, every minute by default)`;
    case 'sweeping':
      return `${who}: being stopped by the sweep (${f.reapWorkflowId})`;
    case 'done':
      return `${who}: ${OUTCOME_TEXT[f.outcome!]} (${f.reapWorkflowId})${f.error ? `: ${f.error}` : ''}`;
    case 'reaper-failed':
      return `${who}: the sweep's reaper ${f.reapWorkflowId} ended without an outcome (${f.error ?? ''}); it may still bill`;
    case 'unreadable':
      return `${who}: the sweep's progress could not be read (${f.error ?? ''})`;
  }
}

const OUTCOME_TEXT: Record<ReapOutcome, string> = {
  stopped: 'stopped by the sweep',
  'already-stopped': 'already over when the sweep came (Agora said so)',
  'no-recorded-data': 'stopped by the sweep (Agora recorded nothing)',
  'never-started': 'never started (Agora says nothing ran on its resource)',
  unknown: 'the sweep could not learn its sid: it may bill until Agora ends it',
  expired: 'stop kept failing until its resource expired (Agora ends it then)',
};
