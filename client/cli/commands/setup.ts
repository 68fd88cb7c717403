/** `agora-capture setup`: prepares the namespace (search attributes, sweep schedule); safe to re-run. */
import { describeSetup, SetupError, setupNamespace } from '../../setup';
import { parseCommand, seconds, str } from '../args';
import { type Command, printedHelp } from '../context';
import { CliFailure, EXIT, UsageError } from '../errors';

export const setup: Command = async (argv, ctx) => {
  const p = parseCommand('setup', argv, {
    'sweep-interval': { type: 'string' },
    'task-queue': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (printedHelp(p, 'setup', ctx)) return EXIT.ok;
  const interval = seconds(p, 'sweep-interval', 'setup');
  if (interval !== undefined && interval < 1)
    throw new UsageError('--sweep-interval must be at least 1s', 'setup');
  const taskQueue = str(p, 'task-queue') || ctx.settings.taskQueue;
  const client = await ctx.client();
  try {
    const report = await setupNamespace(client, {
      namespace: ctx.settings.namespace,
      taskQueue,
      ...(interval !== undefined ? { sweepIntervalSeconds: interval } : {}),
    });
    if (p.values.json) ctx.io.out(`${JSON.stringify(report)}\n`);
    else ctx.io.out(`${describeSetup(report, ctx.settings.namespace).join('\n')}\n`);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof SetupError) throw new CliFailure(e.message);
    throw new CliFailure(
      `could not set up namespace ${ctx.settings.namespace} at ${ctx.settings.address}: ${(e as Error).message}`,
    );
  }
};
