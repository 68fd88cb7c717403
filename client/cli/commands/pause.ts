/**
 * `agora-capture pause` / `resume`: operator pause (releases the Agora session) and resume
 * (new segment). Both are updates: they return once carried out, or fail with the capture's
 * reason (e.g. "cannot resume: the capture is not operator-paused (phase CAPTURING)").
 */

/** An update the capture rejected (its validator's reason) or that failed, as one line. */
function explain(e: unknown, workflowId: string): unknown {
  if (e instanceof WorkflowUpdateFailedError)
    return new CliFailure(`${workflowId}: ${e.cause?.message ?? e.message}`);
  return e;
}
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { pauseCapture, resumeCapture } from '../../api';
import { parseCommand, str, TARGET_OPTIONS, targetId } from '../args';
import { type Command, printedHelp } from '../context';
import { CliFailure, EXIT } from '../errors';
import { explainTemporalError } from '../failures';

export const pause: Command = async (argv, ctx) => {
  const p = parseCommand('pause', argv, { ...TARGET_OPTIONS, reason: { type: 'string' } } as const, 1);
  if (printedHelp(p, 'pause', ctx)) return EXIT.ok;
  const workflowId = targetId(p, 'pause');
  try {
    await pauseCapture(await ctx.client(), workflowId, str(p, 'reason'));
  } catch (e) {
    throw explainTemporalError(explain(e, workflowId), ctx.settings, workflowId);
  }
  ctx.io.out(`paused ${workflowId}: its Agora session is released until resume\n`);
  return EXIT.ok;
};

export const resume: Command = async (argv, ctx) => {
  const p = parseCommand('resume', argv, TARGET_OPTIONS, 1);
  if (printedHelp(p, 'resume', ctx)) return EXIT.ok;
  const workflowId = targetId(p, 'resume');
  try {
    const status = await resumeCapture(await ctx.client(), workflowId);
    ctx.io.out(
      status.phase === 'CAPTURING' || status.phase === 'PAUSED'
        ? `resumed ${workflowId}: a new Agora session (segment ${status.segments.length}) runs, sid ${status.sid ?? '?'}\n`
        : `resume of ${workflowId} ended in phase ${status.phase}${status.lastError ? `: ${status.lastError.message}` : ''}\n`,
    );
  } catch (e) {
    throw explainTemporalError(explain(e, workflowId), ctx.settings, workflowId);
  }
  return EXIT.ok;
};
