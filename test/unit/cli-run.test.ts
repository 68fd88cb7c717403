import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../client/cli/io';
import { runCli } from '../../client/cli/run';
import { workflowUiLink } from '../../client/cli/env';

/** Captures output; the env points at a closed port so any accidental connect fails fast. */
async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false };
  const code = await runCli(argv, io, { TEMPORAL_ADDRESS: '127.0.0.1:1' });
  return { code, out, err };
}

describe('agora-capture command line (no server needed)', () => {
  it('prints help on stdout with exit 0', async () => {
    const top = await run('--help');
    expect(top).toMatchObject({ code: 0, err: '' });
    expect(top.out).toContain('Commands:');
    for (const cmd of ['start', 'stop', 'status', 'list', 'cancel', 'watch']) {
      const r = await run(cmd, '--help');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^Usage: agora-capture ${cmd}`));
    }
  });

  it.each([
    [[], /missing command/],
    [['frobnicate'], /unknown command: frobnicate/],
    [['start', '--bogus'], /^agora-capture start: unknown option --bogus\n/],
    [['start', '--durration', '2h'], /unknown option --durration \(did you mean --duration\?\)/],
    [['start', '--channel'], /--channel needs a value/],
    [['status', 'capture/a/1', '--json=yes'], /--json is a switch and takes no value/],
    [['start'], /missing required options: --channel, --uid, --interval, --duration\n/],
    [['start', '--channel', 'c', '--duration', '1h'], /missing required options: --uid, --interval\n/],
    [['start', '--channel', 'c', '--uid', '1', '--interval', '5'], /--duration is required/],
    [
      ['start', '--channel', 'c', '--uid', '1', '--interval', '5', '--duration', 'soon'],
      /--duration: "soon" is not a duration/,
    ],
    [
      ['start', '--channel', 'c', '--uid', '1', '--interval', '5', '--duration', '9', '--uid-group', 'x'],
      /--uid-group must be an integer/,
    ],
    [['status'], /give ID or --channel C --uid U/],
    [['status', 'capture/a/1', '--channel', 'a'], /not both/],
    [['stop', '--channel', 'a'], /--channel and --uid go together/],
    [['list', '--phase', 'dancing'], /--phase must be one of QUEUED, ACQUIRING, /],
    [['status', 'a', 'b'], /unexpected argument: b/],
  ])('%j is a usage error (exit 2, nothing on stdout)', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
  });

  it('rejects an invalid request before connecting, naming each field', async () => {
    const r = await run(
      'start',
      '--channel',
      'c',
      '--uid',
      '0',
      '--interval',
      '2',
      '--duration',
      '1h',
      '--stream-types',
      '3',
    );
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('--interval (snapshotConfig.captureInterval): must be within [5s, 1h]');
    expect(r.err).toContain('--uid (recorderUid):');
    expect(r.err).toContain('--stream-types (recordingConfig.streamTypes):');
  });

  it('names --duration and says its limit in d/h/m/s, the way the flag takes it', async () => {
    const r = await run('start', '--channel', 'c', '--uid', '1', '--interval', '5', '--duration', '30d');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--duration (durationSeconds): must be at most 29d23h (');
    expect(r.err).not.toMatch(/\d{5,} seconds/);
  });

  it('reports a bad Temporal setting before connecting, naming the variable (exit 2)', async () => {
    let err = '';
    const io: CliIo = { out: () => {}, err: (t) => void (err += t), isTTY: false };
    const code = await runCli(['status', 'capture/a/1'], io, { TEMPORAL_TLS: 'perhaps' });
    expect(code).toBe(2);
    expect(err).toMatch(/TEMPORAL_TLS: must be true or false/);
  });

  it('reports an unreachable server in one line with exit 1', async () => {
    const r = await run('status', 'capture/a/1');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/cannot reach Temporal at 127\.0\.0\.1:1/);
  });

  it('links to the workflow in the Temporal UI with the id encoded', () => {
    expect(
      workflowUiLink({ uiUrl: 'http://localhost:8233', namespace: 'default' }, 'capture/my room/42'),
    ).toBe('http://localhost:8233/namespaces/default/workflows/capture%2Fmy%20room%2F42');
  });
});
