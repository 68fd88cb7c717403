/**
 * `agora-capture pause` / `resume`: operator pause (releases the Agora session) and resume
 * (new segment). Both are updates: they return once carried out, or are refused with the
 * capture's reason (e.g. "cannot resume: the capture is not operator-paused (phase
 * CAPTURING)"), printed as "refused: …" with exit 1. A capture that has ended says so. While
 * Agora fails the stop (pause) or the acquire (resume), each waits 20 s, then says what is
 * known: accepted, not carried out yet, and the capture keeps at it (exit 0).
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { pauseCapture, resumeCapture } from '../../api';
import { parseCommand, str, TARGET_OPTIONS, targetId } from '../args';
import { type Command, printedHelp } from '../context';
import { CliFailure, EXIT } from '../errors';
import { actOnCapture } from '../on-capture';

/** An update the capture refused (its validator's reason) or that failed, as one line. */
async function refusedAsFailure<T>(workflowId: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof WorkflowUpdateFailedError)
      throw new CliFailure(`${workflowId}: refused: ${e.cause?.message ?? e.message}`);
    throw e;
  }
}

/** How long `pause` and `resume` wait for Agora before saying the capture is still at it. */
const WAIT_SECONDS = 20;

export const pause: Command = async (argv, ctx) => {
  const p = parseCommand('pause', argv, { ...TARGET_OPTIONS, reason: { type: 'string' } } as const, 1);
  if (printedHelp(p, 'pause', ctx)) return EXIT.ok;
  const workflowId = targetId(p, 'pause');
  const status = await actOnCapture(ctx, workflowId, { ended: 'nothing to pause' }, (client) =>
    refusedAsFailure(workflowId, () =>
      pauseCapture(client, workflowId, str(p, 'reason'), { waitSeconds: WAIT_SECONDS }),
    ),
  );
  const agora = status.lastError ? `: ${status.lastError.message}` : '';
  if (status.operatorPaused) {
    ctx.io.out(`paused ${workflowId}: its Agora session is released until resume\n`);
    return EXIT.ok;
  }
  // The capture reached its end while the pause waited: it stops its session as it ends.
  if (status.endReason !== undefined)
    throw new CliFailure(
      `pause of ${workflowId} did not happen: the capture is ending (${status.endReason})${agora}`,
    );
  // Agora's stop keeps failing: the session bills until a stop lands, and the capture retries it.
  ctx.io.out(
    `pause of ${workflowId} accepted, its Agora session not released yet after ${WAIT_SECONDS}s (phase ${status.phase}${agora}); it may still bill, and the capture keeps stopping it: agora-capture status ${workflowId}\n`,
  );
  return EXIT.ok;
};

export const resume: Command = async (argv, ctx) => {
  const p = parseCommand('resume', argv, TARGET_OPTIONS, 1);
  if (printedHelp(p, 'resume', ctx)) return EXIT.ok;
  const workflowId = targetId(p, 'resume');
  const status = await actOnCapture(ctx, workflowId, { ended: 'nothing to resume' }, (client) =>
    refusedAsFailure(workflowId, () => resumeCapture(client, workflowId, { waitSeconds: WAIT_SECONDS })),
  );
  const agora = status.lastError ? `: ${status.lastError.message}` : '';
  // The capture ended instead of resuming (Agora refused the new session): not a success.
  if (status.endReason !== undefined)
    throw new CliFailure(
      `resume of ${workflowId} failed: the capture is ending (${status.endReason})${agora}`,
    );
  ctx.io.out(
    status.phase === 'CAPTURING' || status.phase === 'PAUSED'
      ? `resumed ${workflowId}: a new Agora session (segment ${status.segments.length}) runs, sid ${status.sid ?? '?'}\n`
      : `resume of ${workflowId} accepted, no Agora session yet after ${WAIT_SECONDS}s (phase ${status.phase}${agora}); the capture keeps retrying: agora-capture status ${workflowId}\n`,
  );
  return EXIT.ok;
};
