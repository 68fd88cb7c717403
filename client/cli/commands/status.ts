/**
 * `agora-capture status`: the capture's status query (phase, Agora ids, deadline, errors)
 * beside Temporal's execution status (RUNNING, COMPLETED, FAILED, CANCELED, TERMINATED,
 * TIMED_OUT) and, for a failed capture, the reason in words.
 */
import { getCapture } from '../../api';
import type { CaptureStatus } from '../../../workflows/status';
import { describeWebhookBacklog, getWebhookDelivery } from '../../webhooks';
import { parseCommand, TARGET_OPTIONS, targetId } from '../args';
import { type Command, printedHelp } from '../context';
import { workflowUiLink } from '../env';
import { CliFailure, EXIT } from '../errors';
import { describeExecution, type ExecutionInfo } from '../execution';
import { explainTemporalError } from '../failures';
import { formatExecutionOnly, formatStatus } from '../format';
import { type SessionFate, sessionFates } from '../../session-fates';

const OPTIONS = { ...TARGET_OPTIONS, json: { type: 'boolean' } } as const;

/** How long the query may take: it needs a worker, and a missing worker must not hang the CLI. */
const QUERY_TIMEOUT_MS = 15_000;

/** Runs `status`. */
export const status: Command = async (argv, ctx) => {
  const p = parseCommand('status', argv, OPTIONS, 1);
  if (printedHelp(p, 'status', ctx)) return EXIT.ok;
  const workflowId = targetId(p, 'status');
  const client = await ctx.client();
  let x: ExecutionInfo | undefined;
  try {
    x = await describeExecution(client, workflowId);
  } catch (e) {
    throw explainTemporalError(e, ctx.settings, workflowId);
  }
  if (!x) throw new CliFailure(`no capture ${workflowId} in namespace ${ctx.settings.namespace}`);

  let s: CaptureStatus | undefined;
  let queryProblem: string | undefined;
  let webhooks: Awaited<ReturnType<typeof getWebhookDelivery>> | undefined;
  try {
    [s, webhooks] = await client.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () =>
      Promise.all([
        getCapture(client, workflowId),
        // The webhook backlog lives in the delivery workflow; no row when it cannot be read.
        getWebhookDelivery(client, workflowId).catch(() => undefined),
      ]),
    );
  } catch (e) {
    // A running capture needs its query; for an ended one Temporal's record is still worth showing.
    if (x.status === 'RUNNING') throw explainTemporalError(e, ctx.settings, workflowId);
    queryProblem = explainTemporalError(e, ctx.settings, workflowId).message;
  }
  // A closed run that still lists sessions (terminate, reset, a timeout): the sweep's to stop.
  const left = x.status === 'RUNNING' ? [] : (s?.openSessions ?? x.openSessions ?? []);
  const fates: SessionFate[] | undefined = left.length ? await sessionFates(client, left) : undefined;
  const { result: _result, openSessions: _open, ...execution } = x;
  const sweep = fates ? { sweep: fates } : {};
  const webhookRow = webhooks ? `\n  ${'webhooks'.padEnd(12)}  ${describeWebhookBacklog(webhooks)}` : '';
  const link = `${webhookRow}\n  ${'UI'.padEnd(12)}  ${workflowUiLink(ctx.settings, workflowId)}\n`;
  if (p.values.json) {
    ctx.io.out(
      `${JSON.stringify(s ? { ...s, execution, ...sweep, ...(webhooks ? { webhooks } : {}) } : { workflowId, execution, ...sweep, statusQueryError: queryProblem })}\n`,
    );
  } else if (s) {
    ctx.io.out(`${formatStatus(s, Date.now(), x, fates)}${link}`);
  } else {
    ctx.io.out(
      `${formatExecutionOnly(workflowId, x, queryProblem ?? 'no answer', Date.now(), fates)}${link}`,
    );
  }
  return EXIT.ok;
};
