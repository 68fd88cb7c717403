/** `agora-capture cancel`: cancels the workflow (which still stops the Agora session). */
import { cancelCapture, getCapture } from '../../api';
import { parseCommand, TARGET_OPTIONS, targetId } from '../args';
import { type Command, printedHelp } from '../context';
import { EXIT } from '../errors';
import { actOnCapture } from '../on-capture';

/** Runs `cancel`; returns once the cancellation request is accepted. */
export const cancel: Command = async (argv, ctx) => {
  const p = parseCommand('cancel', argv, TARGET_OPTIONS, 1);
  if (printedHelp(p, 'cancel', ctx)) return EXIT.ok;
  const workflowId = targetId(p, 'cancel');
  // Checked first: a cancel request on a closed workflow must not read "requested".
  const ending = await actOnCapture(
    ctx,
    workflowId,
    { ended: 'nothing to cancel', checkFirst: true },
    async (client) => {
      // A capture already ending (a cancel or stop under way) is told so, not "requested" again.
      const s = await getCapture(client, workflowId).catch(() => undefined);
      if (s?.endReason !== undefined) return s;
      await cancelCapture(client, workflowId);
      return undefined;
    },
  );
  ctx.io.out(
    ending
      ? `${workflowId} is already ending (${ending.endReason}, phase ${ending.phase}): nothing more to request; it stops any Agora session it started before it ends\n`
      : `cancellation requested for ${workflowId}; the capture stops any Agora session it started before it ends\n`,
  );
  return EXIT.ok;
};
