/** `agora-capture watch`: live phase until the capture ends, then the result or the failure. */
import { int, parseCommand, TARGET_OPTIONS, targetId } from '../args';
import { type Command, printedHelp } from '../context';
import { EXIT, UsageError } from '../errors';
import { endPhrase, explainTemporalError } from '../failures';
import { formatResult, printable } from '../format';
import { fateText, type SessionFate, sessionFates } from '../../session-fates';
import { watchCapture, type WatchOutcome } from '../watch';
import type { CliIo } from '../io';

const OPTIONS = { ...TARGET_OPTIONS, 'interval-ms': { type: 'string' } } as const;

/**
 * Runs `watch`: exit 0 when the capture completed, 1 when it failed, was cancelled or terminated,
 * or when Temporal refused to say how it ends (a WatchInterruptedError: its state unknown).
 */
export const watch: Command = async (argv, ctx) => {
  const p = parseCommand('watch', argv, OPTIONS, 1);
  if (printedHelp(p, 'watch', ctx)) return EXIT.ok;
  const workflowId = targetId(p, 'watch');
  const intervalMs = int(p, 'interval-ms', 'watch') ?? 1000;
  if (intervalMs < 50) throw new UsageError('--interval-ms must be at least 50', 'watch');
  const client = await ctx.client();
  let outcome: WatchOutcome;
  try {
    outcome = await watchCapture(client, workflowId, ctx.io, { intervalMs });
  } catch (e) {
    throw explainTemporalError(e, ctx.settings, workflowId);
  }
  // Sessions the run still listed when it closed (terminate, a timeout): the sweep's to stop.
  const left = outcome.kind === 'completed' ? [] : (outcome.status?.openSessions ?? []);
  return reportOutcome(
    workflowId,
    outcome,
    ctx.io,
    left.length ? await sessionFates(client, left) : undefined,
  );
};

/** Prints the end of a watched capture and returns the exit code for it. */
export function reportOutcome(
  workflowId: string,
  outcome: WatchOutcome,
  io: CliIo,
  fates?: SessionFate[],
): number {
  if (outcome.kind === 'completed') {
    io.out(`${formatResult(outcome.result)}\n`);
    return EXIT.ok;
  }
  const last = outcome.status?.lastError;
  const lines = [`${workflowId} ${endPhrase(outcome)}`];
  if (last) lines.push(`  last error: ${last.type}: ${last.message}`);
  for (const f of fates ?? []) lines.push(`  left open: ${fateText(f)}`);
  io.err(`${lines.map(printable).join('\n')}\n`);
  return EXIT.failure;
}
