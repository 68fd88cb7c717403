/** `agora-capture stop`: the stop signal, or with --wait the stop update and its final result. */
import { getCapture, stopCapture } from '../../api';
import type { CaptureStatus } from '../../../workflows/status';
import { parseCommand, str, TARGET_OPTIONS, targetId } from '../args';
import { type Command, printedHelp } from '../context';
import { EXIT } from '../errors';
import { formatResult, printable } from '../format';
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
      // Meanwhile, a stop Agora keeps refusing is said once on stderr: the wait can be long.
      const watch = sayWhenStopFails(
        workflowId,
        () => getCapture(client, workflowId),
        (t) => ctx.io.err(t),
      );
      try {
        const result = await stopCapture(client, workflowId, { reason, wait: true });
        ctx.io.out(p.values.json ? `${JSON.stringify(result)}\n` : `${formatResult(result)}\n`);
      } finally {
        watch.cancel();
      }
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

/** How often `stop --wait` reads the capture's status while it waits. */
const STOP_WATCH_MS = 2000;

/**
 * Polls the capture's status until cancelled; the first time it reports a failing stop, writes
 * one line saying so (since when, Agora's last error) and that the capture keeps retrying.
 * A status that cannot be read is skipped: the wait itself reports real failures.
 */
function sayWhenStopFails(
  workflowId: string,
  read: () => Promise<CaptureStatus>,
  err: (text: string) => void,
): { cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  let done = false;
  const tick = async () => {
    const s = await read().catch(() => undefined);
    if (done) return;
    if (s?.stopFailingSince) {
      const why = s.lastError ? `${s.lastError.type}: ${s.lastError.message}` : 'unknown error';
      err(
        printable(
          `${workflowId}: Agora has refused the stop since ${s.stopFailingSince} (${why}); the capture keeps retrying until it lands or the session can no longer bill — still waiting`,
        ) + '\n',
      );
      return;
    }
    timer = setTimeout(() => void tick(), STOP_WATCH_MS);
  };
  timer = setTimeout(() => void tick(), STOP_WATCH_MS);
  return {
    cancel() {
      done = true;
      clearTimeout(timer);
    },
  };
}
