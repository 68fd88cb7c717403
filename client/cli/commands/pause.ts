/** `agora-capture pause` / `resume`: operator pause (releases the Agora session) and resume (new segment). */
import { pauseCapture, resumeCapture } from '../../api';
import { parseCommand, str, TARGET_OPTIONS, targetId } from '../args';
import { type Command, printedHelp } from '../context';
import { EXIT } from '../errors';
import { actOnCapture } from '../on-capture';

export const pause: Command = async (argv, ctx) => {
  const p = parseCommand('pause', argv, { ...TARGET_OPTIONS, reason: { type: 'string' } } as const, 1);
  if (printedHelp(p, 'pause', ctx)) return EXIT.ok;
  const workflowId = targetId(p, 'pause');
  await actOnCapture(ctx, workflowId, { ended: 'nothing to pause' }, (client) =>
    pauseCapture(client, workflowId, str(p, 'reason')),
  );
  ctx.io.out(`pause requested for ${workflowId}: its Agora session is released until resume\n`);
  return EXIT.ok;
};

export const resume: Command = async (argv, ctx) => {
  const p = parseCommand('resume', argv, TARGET_OPTIONS, 1);
  if (printedHelp(p, 'resume', ctx)) return EXIT.ok;
  const workflowId = targetId(p, 'resume');
  await actOnCapture(ctx, workflowId, { ended: 'nothing to resume' }, (client) =>
    resumeCapture(client, workflowId),
  );
  ctx.io.out(`resume requested for ${workflowId}: a new Agora session (segment) starts\n`);
  return EXIT.ok;
};
