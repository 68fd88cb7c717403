/**
 * What Temporal itself says about a capture's workflow: its execution status (RUNNING,
 * COMPLETED, FAILED, CANCELED, TERMINATED, TIMED_OUT), when it closed, and how it ended in
 * plain words. The capture's own status query reports the last phase the workflow recorded;
 * after a terminate or a timeout that phase is stale, so the CLI shows both.
 */
import {
  ApplicationFailure,
  type Client,
  WorkflowFailedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import type { RequestIssue } from '../../workflows/request';
import { CAPTURE_OPEN_SESSIONS } from '../../workflows/search-attributes';
import { type ExecutionStatus, executionStatus } from '../api';
import type { CaptureResult } from '../../workflows/status';
import { describeWorkflowFailure } from './failures';
import { endReasonText, printable, shortTime } from './format';

export type { ExecutionStatus };

/** A failure in words, plus the request's broken rules when validation failed. */
export interface FailureInfo {
  /** ApplicationFailure type, e.g. InvalidCaptureRequest. */
  type?: string;
  message: string;
  issues?: RequestIssue[];
}

/** The latest run of a capture's workflow as Temporal describes it. */
export interface ExecutionInfo {
  status: ExecutionStatus;
  runId: string;
  startTime: string;
  closeTime?: string;
  /** How it ended, in words: "end reason stopped (cli test)", "terminated: cleanup", "failed: ...". */
  ended?: string;
  /** Why it failed, for FAILED executions. */
  failure?: FailureInfo;
  /** The result, for COMPLETED executions. */
  result?: CaptureResult;
  /**
   * Of a closed run: the Agora sessions it still listed as possibly billing
   * (CaptureOpenSessions), the sweep's to stop; absent when none.
   */
  openSessions?: string[];
}

/** Describes the capture's latest run; undefined when no such workflow exists. */
export async function describeExecution(
  client: Client,
  workflowId: string,
): Promise<ExecutionInfo | undefined> {
  const handle = client.workflow.getHandle(workflowId);
  let d;
  try {
    d = await handle.describe();
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) return undefined;
    throw e;
  }
  const info: ExecutionInfo = {
    status: executionStatus(d.status.name),
    runId: d.runId,
    startTime: d.startTime.toISOString(),
    ...(d.closeTime ? { closeTime: d.closeTime.toISOString() } : {}),
  };
  if (info.status === 'RUNNING') return info;
  const open = d.typedSearchAttributes.get(CAPTURE_OPEN_SESSIONS) ?? [];
  if (open.length > 0) info.openSessions = [...open];
  // A closed run's result is in its history: no worker needed to read it.
  try {
    const result = (await client.workflow.getHandle(workflowId, d.runId).result()) as CaptureResult;
    info.result = result;
    info.ended = `end reason ${endReasonText(result.reason, result)}`;
  } catch (e) {
    if (!(e instanceof WorkflowFailedError)) throw e;
    const end = describeWorkflowFailure(e);
    info.ended = end.kind === 'failed' ? `failed: ${end.message}` : end.message;
    if (end.kind === 'failed') info.failure = failureInfo(e);
  }
  return info;
}

/** The innermost ApplicationFailure's type and message, and the request issues it carries. */
function failureInfo(e: WorkflowFailedError): FailureInfo {
  let cur: unknown = e.cause;
  let app: ApplicationFailure | undefined;
  for (let depth = 0; cur instanceof Error && depth < 6; depth++) {
    if (cur instanceof ApplicationFailure) app = cur;
    cur = cur.cause;
  }
  if (!app) return { message: describeWorkflowFailure(e).message };
  const details = app.details?.[0] as { issues?: RequestIssue[] } | undefined;
  return {
    ...(app.type ? { type: app.type } : {}),
    message: app.message,
    ...(Array.isArray(details?.issues) ? { issues: details.issues } : {}),
  };
}

/** "ended 2026-11-29 11:40:03Z: TERMINATED, terminated: test cleanup" */
export function endedSentence(workflowId: string, x: ExecutionInfo): string {
  const when = x.closeTime ? ` at ${shortTime(x.closeTime)}` : '';
  return printable(`${workflowId} has already ended${when}: ${x.status}${x.ended ? `, ${x.ended}` : ''}`);
}
