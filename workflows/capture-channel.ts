/**
 * captureChannelWorkflow: acquire → start → capture until the duration elapses, a stop, a
 * cancellation, Agora ending the session or the lost-video policy → stop, with stop run as
 * compensation on every path that may have started a session (never on continue-as-new).
 * The capture is one state machine (machine.ts); captures that began before it replay the
 * frozen code in legacy/ (patch CAPTURE_MACHINE).
 */
import { patched, workflowInfo } from '@temporalio/workflow';
import { legacyCaptureChannelWorkflow } from './legacy/capture-channel';
import { CaptureMachine } from './machine';
import { migrateCarried } from './migrate';
import { CAPTURE_MACHINE, DELIVERY_RULES, since, WORKFLOW_ID_RULE } from './patches';
import { deliveryIssues } from './request-delivery';
import {
  type CaptureRequest,
  captureWorkflowId,
  describeIssues,
  type RequestIssue,
  validateCaptureRequest,
} from './request';
import { type CaptureState, initialState } from './state';
import type { CaptureResult } from './status';
import type { OutboxState } from './webhooks/outbox';

export async function captureChannelWorkflow(
  input: unknown,
  carried?: CaptureState,
  carriedWebhooks?: OutboxState,
): Promise<CaptureResult> {
  // Only a run whose history predates the patch replays legacy (a new run never carries its state).
  if (!since(CAPTURE_MACHINE)) return legacyCaptureChannelWorkflow(input, carried as never);
  const s: CaptureState = carried
    ? { ...migrateCarried(carried), runs: carried.runs + 1 }
    : initialState(workflowInfo().workflowId);
  // A continue-as-new run receives the request its first run validated (defaults filled in).
  const validation = carried
    ? ({ ok: true, request: input as CaptureRequest } as const)
    : validateCaptureRequest(input);
  const raw = (input ?? {}) as Partial<CaptureRequest>;
  const ids = { channel: String(raw.channel ?? ''), recorderUid: String(raw.recorderUid ?? '') };
  if (!validation.ok) {
    const m = new CaptureMachine(s, raw as CaptureRequest, ids);
    m.registerHandlers();
    return m.fail(describeIssues(validation.issues), validation.issues);
  }
  const m = new CaptureMachine(s, validation.request, ids);
  m.registerHandlers();
  const idIssue = carried ? undefined : workflowIdIssue(validation.request);
  if (idIssue && patched(WORKFLOW_ID_RULE)) return m.fail(describeIssues([idIssue]), [idIssue]);
  const delivery = carried ? [] : deliveryIssues(validation.request);
  if (delivery.length > 0 && patched(DELIVERY_RULES)) return m.fail(describeIssues(delivery), delivery);
  return m.run(carried !== undefined, carriedWebhooks);
}

/** The broken rule when this run's id is not the one of its request's channel and recorder uid. */
function workflowIdIssue(request: CaptureRequest): RequestIssue | undefined {
  const expected = captureWorkflowId(request.channel, request.recorderUid);
  if (workflowInfo().workflowId === expected) return undefined;
  return {
    field: 'workflowId',
    rule: `must be ${expected} (channel ${request.channel}, recorder uid ${request.recorderUid}): the CLI, the receiver, a second start and the sweeper find a capture by that id`,
  };
}
