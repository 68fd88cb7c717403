/** `agora-capture stop`: the stop signal, or with --wait the stop update and its final result. */
import { stopCapture } from '../../api';
import { parseCommand, str, TARGET_OPTIONS, targetId } from '../args';
import { type Command, printedHelp } from '../context';
import { EXIT } from '../errors';
import { formatResult } from '../format';
import { actOnCapture } from '../on-capture';

const OPTIONS = {
  ...TARGET_OPTIONS,
  reason: { type: 'string' },
  wait: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

/** Runs `stop`. Without --wait it returns once the signal is accepted. */
export const stop: Command = async (argv, ctx) => {
  const p = parseCommand('stop', argv, OPTIONS, 1);
  if (printedHelp(p, 'stop', ctx)) return EXIT.ok;
  const workflowId = targetId(p, 'stop');
  const reason = str(p, 'reason');
  await actOnCapture(ctx, workflowId, { ended: 'nothing to stop' }, async (client) => {
    if (p.values.wait) {
      const result = await stopCapture(client, workflowId, { reason, wait: true });
      ctx.io.out(p.values.json ? `${JSON.stringify(result)}\n` : `${formatResult(result)}\n`);
    } else {
      await stopCapture(client, workflowId, { reason });
      ctx.io.out(
        p.values.json
          ? `${JSON.stringify({ workflowId, stopRequested: true, reason: reason ?? null })}\n`
          : `stop requested for ${workflowId}; follow it with: agora-capture watch ${workflowId}\n`,
      );
    }
  });
  return EXIT.ok;
};
