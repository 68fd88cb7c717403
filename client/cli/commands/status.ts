/** `agora-capture status`: the capture's status query (phase, Agora ids, deadline, errors). */
import { getCapture } from '../../api';
import { describeWebhookBacklog, getWebhookDelivery } from '../../webhooks';
import { parseCommand, TARGET_OPTIONS, targetId } from '../args';
import { type Command, printedHelp } from '../context';
import { workflowUiLink } from '../env';
import { EXIT } from '../errors';
import { explainTemporalError } from '../failures';
import { formatStatus } from '../format';

const OPTIONS = { ...TARGET_OPTIONS, json: { type: 'boolean' } } as const;

/** How long the query may take: it needs a worker, and a missing worker must not hang the CLI. */
const QUERY_TIMEOUT_MS = 15_000;

/** Runs `status`. */
export const status: Command = async (argv, ctx) => {
  const p = parseCommand('status', argv, OPTIONS, 1);
  if (printedHelp(p, 'status', ctx)) return EXIT.ok;
  const workflowId = targetId(p, 'status');
  const client = await ctx.client();
  try {
    const [s, webhooks] = await client.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () =>
      Promise.all([
        getCapture(client, workflowId),
        // The webhook backlog lives in the delivery workflow; no row when it cannot be read.
        getWebhookDelivery(client, workflowId).catch(() => undefined),
      ]),
    );
    const webhookRow = webhooks ? `  ${'webhooks'.padEnd(12)}  ${describeWebhookBacklog(webhooks)}\n` : '';
    ctx.io.out(
      p.values.json
        ? `${JSON.stringify(webhooks ? { ...s, webhooks } : s)}\n`
        : `${formatStatus(s)}\n${webhookRow}  ${'UI'.padEnd(12)}  ${workflowUiLink(ctx.settings, workflowId)}\n`,
    );
  } catch (e) {
    throw explainTemporalError(e, ctx.settings, workflowId);
  }
  return EXIT.ok;
};
