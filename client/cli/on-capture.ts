/**
 * Running a command against one capture, with the truth when it cannot act: a capture that
 * ended says it ended, when and how (Temporal answers "not found" for a signal to a closed
 * workflow, which would otherwise read "no capture"); only a capture that never existed is
 * "no capture".
 */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { CommandContext } from './context';
import { CliFailure } from './errors';
import { describeExecution, endedSentence } from './execution';
import { explainTemporalError } from './failures';
import { fateText, sessionFates } from '../session-fates';
import { isNamespaceNotFound } from '../grpc-code';

/** Options of {@link actOnCapture}. */
export interface ActOptions {
  /** What the command would have done, for the ended message: "nothing to stop". */
  ended: string;
  /** Describe before acting: for requests Temporal would accept on a closed workflow. */
  checkFirst?: boolean;
}

/** Runs `act` with the client; failures become one truthful CliFailure line. */
export async function actOnCapture<T>(
  ctx: CommandContext,
  workflowId: string,
  opts: ActOptions,
  act: (client: Client) => Promise<T>,
): Promise<T> {
  const client = await ctx.client();
  try {
    if (opts.checkFirst) await failIfEnded(client, workflowId, opts.ended);
    return await act(client);
  } catch (e) {
    if (e instanceof CliFailure) throw e;
    // A missing namespace is said as such (explainTemporalError), not asked about the capture.
    if (isClosedOrMissing(e) && !isNamespaceNotFound(e)) {
      const run: RunRead = await failIfEnded(client, workflowId, opts.ended).then(
        () => ({ running: true }),
        (error: unknown) => ({ running: false, error }),
      );
      if (!run.running && run.error instanceof CliFailure) throw run.error;
      // Only a describe that also found nothing makes it "no capture" (explained below).
      if (run.running || !(run.error instanceof WorkflowNotFoundError))
        throw notKnown(e, run, ctx, workflowId);
    }
    throw explainTemporalError(e, ctx.settings, workflowId);
  }
}

/** Throws CliFailure when the capture's latest run has ended (or does not exist). */
async function failIfEnded(client: Client, workflowId: string, ended: string): Promise<void> {
  const x = await describeExecution(client, workflowId);
  if (x === undefined) throw new WorkflowNotFoundError('not found', workflowId, undefined);
  if (x.status === 'RUNNING') return;
  // A run closed with sessions still listed (terminate, reset, a timeout, a stop that never
  // succeeded): "nothing to stop" would be false while one bills; say where the sweep is with each.
  const left = x.openSessions?.length
    ? `it left Agora sessions that may bill, which the sweep stops: ${(await sessionFates(client, x.openSessions)).map(fateText).join('; ')}`
    : ended;
  throw new CliFailure(`${endedSentence(workflowId, x)}; ${left}`);
}

/**
 * Temporal answered "not found" to the command, and what the capture is could not be read
 * after it: the describe failed, or found a run that is running (started again meanwhile).
 * Neither "no capture" nor "ended" would be known to be true.
 */
function notKnown(e: unknown, run: RunRead, ctx: CommandContext, workflowId: string): CliFailure {
  const said = e instanceof Error ? e.message : String(e);
  if (run.running)
    return new CliFailure(
      `${workflowId}: Temporal answered "${said}", yet a run of it is running now (started again meanwhile?): nothing was done; try again`,
    );
  const reading = explainTemporalError(run.error, ctx.settings, workflowId).message;
  return new CliFailure(
    `${workflowId}: Temporal answered "${said}" and whether the capture ended or never existed could not be read (${reading}): nothing was done`,
  );
}

/** What the describe after a "not found" told: a run is running, or why it could not say so. */
type RunRead = { running: true } | { running: false; error: unknown };

/** "Not found" from a signal, update or cancel: the workflow is closed, or was never there. */
function isClosedOrMissing(e: unknown): boolean {
  if (e instanceof WorkflowNotFoundError) return true;
  return e instanceof Error && /workflow execution already completed/i.test(e.message);
}
