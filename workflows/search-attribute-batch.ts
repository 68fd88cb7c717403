/**
 * One upsert per workflow task, since patch LEAN_HISTORY (patches.ts): the search attributes
 * the state machine changes (CapturePhase, CaptureSids, CaptureOpenSessions) are gathered and
 * sent as one upsert right before the workflow's next command — activity, local activity,
 * timer, signal, child workflow, continue-as-new — or before it waits without one, or ends.
 * A capture's start → CAPTURING and stop → STOPPED each change two of them in one task: one
 * history event and one visibility write instead of two. What is gathered always goes out in
 * the same workflow task as the change, ahead of the command that follows it, so visibility
 * never lags behind what the capture does. Wired into every capture bundle as a workflow
 * interceptor module (worker/workflow-bundle.ts). Workflow code.
 */
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import {
  type Next,
  upsertSearchAttributes,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { workflowLocal } from './workflow-local';

/** The running workflow's gathered updates by key (workflow-local.ts). */
const gathered = workflowLocal('search-attribute-batch', () => new Map<string, SearchAttributeUpdatePair>());

/** Gathers updates; the latest value of a key wins. Sent by `flushSearchAttributes`. */
export function gatherSearchAttributes(updates: SearchAttributeUpdatePair[]): void {
  const unsent = gathered();
  for (const u of updates) unsent.set(u.key.name, u);
}

/** Sends what was gathered as one upsert (nothing when nothing is). */
export function flushSearchAttributes(): void {
  const unsent = gathered();
  if (unsent.size === 0) return;
  const updates = [...unsent.values()];
  unsent.clear();
  upsertSearchAttributes(updates);
}

/** Flushes, then lets the command through. */
function flushThen<I, R>(input: I, next: (input: I) => R): R {
  flushSearchAttributes();
  return next(input);
}

/** Flushes before every command the workflow schedules. */
class FlushBeforeCommands implements WorkflowOutboundCallsInterceptor {
  scheduleActivity = flushThen;
  scheduleLocalActivity = flushThen;
  startTimer = flushThen;
  signalWorkflow = flushThen;
  startChildWorkflowExecution = flushThen;
  continueAsNew = flushThen;
}

/** Flushes before the run completes, fails or continues as new. */
class FlushAtEnd implements WorkflowInboundCallsInterceptor {
  async execute(
    input: WorkflowExecuteInput,
    next: Next<WorkflowInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    try {
      return await next(input);
    } finally {
      flushSearchAttributes();
    }
  }
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [new FlushAtEnd()],
  outbound: [new FlushBeforeCommands()],
});
