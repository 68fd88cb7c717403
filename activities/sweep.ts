/**
 * The sweeper's activities: find the Agora sessions closed captures may have left billing
 * (from visibility and each closed run's history), and, for a new run that met Agora 53 "task
 * conflict", stop its predecessors' sessions before it starts again. Both use the worker's
 * Temporal client (activity context); the stops themselves run in session reapers.
 */
import { Context, log } from '@temporalio/activity';
import {
  type Client,
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowExecutionInfo,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { visibilityString } from '../client/visibility-query';
import {
  CAPTURE_WORKFLOW_TYPE,
  REAPER_WORKFLOW_TYPE,
  type ReapResult,
  type ReapTarget,
  reapWorkflowId,
} from '../workflows/reap-target';
import { CAPTURE_OPEN_SESSIONS } from '../workflows/search-attributes';
import { historyFacts } from './history-facts';
import { type OpenSession, openSessions } from './open-sessions';

/** Statuses whose run may have skipped or failed its own stop. Completed runs count only with open sessions. */
const SUSPECT_STATUSES = ['Terminated', 'Failed', 'TimedOut', 'Canceled'];
/** Agora's own default failover window when the request does not say (seconds). */
const DEFAULT_FAILOVER_WINDOW_SECONDS = 60;
/** A sweep reads at most this many closed captures; the next sweep takes the rest. */
const MAX_CAPTURES_PER_SWEEP = 500;

export interface FindLeakedInput {
  /** Only captures that ran on this task queue (their worker's Agora credentials are ours). */
  taskQueue: string;
  /** How far back to look at closed captures (by close time). */
  lookbackSeconds: number;
  /** Instead of listing: exactly these captures (the receiver's "callback of a closed capture"). */
  captures?: { workflowId: string; runId?: string }[];
}

export interface FindLeakedResult {
  /** Closed capture runs whose history was read. */
  scanned: number;
  targets: ReapTarget[];
  /** Runs whose history could not be read ("workflowId/runId: error"): their sessions were not swept. */
  unreadable?: string[];
}

export interface StopClosedRunsResult {
  /** Every reaper's result, for sessions whose reap finished within the wait. */
  reaped: ReapResult[];
  /** Reaper workflow ids still running (stop keeps failing, or the wait ran out). */
  pending: string[];
}

/** What the sweep reads of a run, from a visibility listing or a describe. */
type RunInfo = Pick<WorkflowExecutionInfo, 'workflowId' | 'runId' | 'status' | 'typedSearchAttributes'>;

function client(): Client {
  return Context.current().client;
}

/** The visibility query for closed captures of `taskQueue` that may hold a billing session. */
export function leakQuery(taskQueue: string, sinceMs: number): string {
  const statuses = SUSPECT_STATUSES.map((s) => `ExecutionStatus = '${s}'`).join(' OR ');
  return (
    `WorkflowType = '${CAPTURE_WORKFLOW_TYPE}' AND TaskQueue = ${visibilityString(taskQueue)} ` +
    `AND CloseTime > '${new Date(sinceMs).toISOString()}' ` +
    `AND (${statuses} OR ${CAPTURE_OPEN_SESSIONS.name} IS NOT NULL)`
  );
}

/** The sessions one closed run may have left billing. */
async function sessionsOf(c: Client, info: RunInfo): Promise<OpenSession[]> {
  const history = await c.workflow.getHandle(info.workflowId, info.runId).fetchHistory();
  const values = info.typedSearchAttributes.get(CAPTURE_OPEN_SESSIONS) ?? [];
  return openSessions(historyFacts(history.events ?? []), values);
}

/** ResourceIds the workflow id's running run still owns (a reset run carries its sessions on). */
async function ownedByRunningRun(c: Client, workflowId: string, cache: Map<string, Set<string>>) {
  const hit = cache.get(workflowId);
  if (hit) return hit;
  const owned = new Set<string>();
  try {
    const current = await c.workflow.getHandle(workflowId).describe();
    if (current.status.name === 'RUNNING')
      for (const s of await sessionsOf(c, current)) owned.add(s.resourceId);
  } catch (e) {
    if (!(e instanceof WorkflowNotFoundError)) throw e;
  }
  cache.set(workflowId, owned);
  return owned;
}

function toTarget(info: RunInfo, s: OpenSession): ReapTarget | undefined {
  const channel = s.request?.channel;
  const recorderUid = s.request?.recorderUid;
  if (channel === undefined || recorderUid === undefined) return undefined;
  return {
    captureWorkflowId: info.workflowId,
    captureRunId: info.runId,
    captureStatus: info.status.name,
    channel,
    recorderUid,
    resourceId: s.resourceId,
    ...(s.sid !== undefined ? { sid: s.sid } : {}),
    candidateSids: s.candidateSids,
    request: s.request,
    expiresAtMs: s.expiresAtMs,
    failoverWindowSeconds: s.request?.timings?.failoverWindowSeconds ?? DEFAULT_FAILOVER_WINDOW_SECONDS,
  };
}

/** A failure of the Temporal service (retry the activity), rather than of one run's content. */
function serviceFailure(e: unknown): boolean {
  return (
    e instanceof ServiceError ||
    (typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'number')
  );
}

/**
 * Reap targets of the given closed runs, minus what a running run of the same capture still
 * owns. A run whose history cannot be read (content no code expected) is logged and reported,
 * and the others are still swept: one bad history must not stop the sweep of every capture.
 */
async function targetsOf(
  c: Client,
  runs: RunInfo[],
): Promise<{ targets: ReapTarget[]; unreadable: string[] }> {
  const owned = new Map<string, Set<string>>();
  const targets: ReapTarget[] = [];
  const unreadable: string[] = [];
  const seen = new Set<string>();
  for (const info of runs) {
    Context.current().heartbeat(info.workflowId);
    let sessions: OpenSession[];
    let running: Set<string>;
    try {
      sessions = await sessionsOf(c, info);
      if (sessions.length === 0) continue;
      running = await ownedByRunningRun(c, info.workflowId, owned);
    } catch (e) {
      if (serviceFailure(e)) throw e;
      const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      unreadable.push(`${info.workflowId}/${info.runId}: ${why}`);
      log.error('sweep: cannot read a closed capture; its sessions are not swept, the others are', {
        workflowId: info.workflowId,
        runId: info.runId,
        error: why,
      });
      continue;
    }
    for (const s of sessions) {
      if (running.has(s.resourceId)) continue;
      const t = toTarget(info, s);
      const id = reapWorkflowId(s.resourceId, s.sid);
      if (!t) {
        log.warn('sweep: a closed capture names a session but not its channel; it cannot be stopped', {
          workflowId: info.workflowId,
          runId: info.runId,
          resourceId: s.resourceId,
        });
      } else if (!seen.has(id)) {
        seen.add(id);
        targets.push(t);
      }
    }
  }
  return { targets, unreadable };
}

async function closedRunsOf(c: Client, captures: { workflowId: string; runId?: string }[]) {
  const runs: RunInfo[] = [];
  for (const { workflowId, runId } of captures) {
    try {
      const info = await c.workflow.getHandle(workflowId, runId).describe();
      if (info.status.name !== 'RUNNING' && info.status.name !== 'CONTINUED_AS_NEW') runs.push(info);
    } catch (e) {
      if (!(e instanceof WorkflowNotFoundError)) throw e;
    }
  }
  return runs;
}

/** Starts the session's reaper, or finds the one already started for it (running or done). */
export async function startReaper(c: Client, taskQueue: string, target: ReapTarget) {
  const workflowId = reapWorkflowId(target.resourceId, target.sid);
  try {
    const handle = await c.workflow.start(REAPER_WORKFLOW_TYPE, {
      taskQueue,
      workflowId,
      args: [target],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    });
    return { handle, started: true };
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    return { handle: c.workflow.getHandle(workflowId), started: false };
  }
}

export function createSweepActivities() {
  return {
    /** Closed captures that may have left a session billing, and those sessions. */
    async findLeakedSessions(input: FindLeakedInput): Promise<FindLeakedResult> {
      const c = client();
      let runs: RunInfo[];
      if (input.captures) {
        runs = await closedRunsOf(c, input.captures);
      } else {
        runs = [];
        const query = leakQuery(input.taskQueue, Date.now() - input.lookbackSeconds * 1000);
        for await (const info of c.workflow.list({ query })) {
          runs.push(info);
          if (runs.length >= MAX_CAPTURES_PER_SWEEP) break;
        }
      }
      const { targets, unreadable } = await targetsOf(c, runs);
      return { scanned: runs.length, targets, ...(unreadable.length ? { unreadable } : {}) };
    },

    /**
     * For a run that met Agora 53: stops the sessions its workflow id's earlier, closed runs
     * may have left running (through their reapers), and waits for those reaps up to
     * `waitSeconds`. Visibility may lag the close of the run just terminated, so an empty
     * answer is retried for a few seconds before it is believed.
     */
    async stopSessionsOfClosedRuns(input: {
      workflowId: string;
      currentRunId: string;
      waitSeconds?: number;
    }): Promise<StopClosedRunsResult> {
      const c = client();
      const { taskQueue } = Context.current().info;
      const query = `WorkflowId = ${visibilityString(input.workflowId)} AND ExecutionStatus != 'Running'`;
      let targets: ReapTarget[] = [];
      const deadline = Date.now() + 10_000;
      for (;;) {
        const runs: RunInfo[] = [];
        for await (const info of c.workflow.list({ query }))
          if (info.runId !== input.currentRunId && info.status.name !== 'CONTINUED_AS_NEW') runs.push(info);
        ({ targets } = await targetsOf(c, runs));
        if (targets.length > 0 || Date.now() > deadline) break;
        await Context.current().sleep(1000);
      }
      const handles = await Promise.all(targets.map((t) => startReaper(c, taskQueue, t)));
      const reaped: ReapResult[] = [];
      const pending: string[] = [];
      const waitMs = (input.waitSeconds ?? 90) * 1000;
      const beat = setInterval(() => Context.current().heartbeat('waiting for reapers'), 5000);
      try {
        await Promise.all(
          handles.map(async ({ handle }) => {
            const result = (await Promise.race([
              handle.result(),
              Context.current()
                .sleep(waitMs)
                .then(() => undefined),
            ])) as ReapResult | undefined;
            if (result) reaped.push(result);
            else pending.push(handle.workflowId);
          }),
        );
      } finally {
        clearInterval(beat);
      }
      log.info('stopped sessions of closed runs before starting again', {
        workflowId: input.workflowId,
        reaped: reaped.map((r) => `${r.sid ?? '?'}:${r.outcome}`).join(','),
        pending: pending.join(','),
      });
      return { reaped, pending };
    },
  };
}

export type SweepActivities = ReturnType<typeof createSweepActivities>;
