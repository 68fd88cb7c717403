/** `agora-capture list`: captures from Temporal visibility, as a table or JSON. */
import { listCaptures } from '../../api';
import { type Phase, PHASES } from '../../../workflows/status';
import { parseCommand, str } from '../args';
import { type Command, printedHelp } from '../context';
import { EXIT, UsageError } from '../errors';
import { explainTemporalError } from '../failures';
import { formatCaptureList } from '../format';

const OPTIONS = {
  phase: { type: 'string' },
  channel: { type: 'string' },
  running: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

/** Runs `list`. */
export const list: Command = async (argv, ctx) => {
  const p = parseCommand('list', argv, OPTIONS);
  if (printedHelp(p, 'list', ctx)) return EXIT.ok;
  const phase = str(p, 'phase')?.toUpperCase();
  // Checked here because a misspelt phase would otherwise just list nothing.
  if (phase !== undefined && !PHASES.includes(phase as Phase))
    throw new UsageError(`--phase must be one of ${PHASES.join(', ')}`, 'list');
  const client = await ctx.client();
  let captures;
  try {
    captures = await listCaptures(client, {
      phase,
      channel: str(p, 'channel'),
      running: p.values.running === true,
    });
  } catch (e) {
    throw explainTemporalError(e, ctx.settings);
  }
  ctx.io.out(p.values.json ? `${JSON.stringify(captures)}\n` : `${formatCaptureList(captures)}\n`);
  return EXIT.ok;
};
