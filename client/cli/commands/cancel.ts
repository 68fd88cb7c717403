/** `agora-capture cancel`: cancels the workflow (which still stops the Agora session). */
import { cancelCapture } from '../../api';
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
  await actOnCapture(ctx, workflowId, { ended: 'nothing to cancel', checkFirst: true }, (client) =>
    cancelCapture(client, workflowId),
  );
  ctx.io.out(
    `cancellation requested for ${workflowId}; the capture stops any Agora session it started before it ends\n`,
  );
  return EXIT.ok;
};
