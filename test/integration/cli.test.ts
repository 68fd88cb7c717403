/**
 * The operator CLI as a user runs it: `node bin/agora-capture ...` as a child process against
 * the suite's Temporal dev server, with the harness's emulator and worker on their own queue.
 */
import { WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cancelCapture, getCapture, startCapture, stopCapture, waitForCapture } from '../../client/api';
import { CaptureStartFailedError } from '../../client/errors';
import { agoraError } from '../../emulator';
import type { captureChannelWorkflow } from '../../workflows';
import { awaitStartUpdate } from '../../workflows/messages';
import { captureWorkflowId, validateCaptureRequest } from '../../workflows/request';
import type { CaptureResult, CaptureStatus } from '../../workflows/status';
import { captureRequest, SECRETS, uniqueChannel } from '../helpers/fixtures';
import { keepHistory } from '../helpers/keep-history';
import { type Harness, startHarness } from '../helpers/harness';
import { type CliRun, runCli } from '../helpers/run-cli';
import { waitFor } from '../helpers/wait-for';
import { sweepNow } from '../helpers/sweep';
import type { SessionFate } from '../../client/session-fates';

const UID = '527841';

type Run = CliRun;

describe('agora-capture CLI against a real Temporal server', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterEach(() => h.emulator.clearFaults());
  afterAll(() => h?.close());

  const cli = (args: string[], env: Record<string, string> = {}): Promise<Run> =>
    runCli(args, h.taskQueue, { TEMPORAL_UI_URL: 'http://localhost:8233', ...env });

  const startArgs = (channel: string, duration: string) => [
    'start',
    '--channel',
    channel,
    '--uid',
    UID,
    '--interval',
    '5',
    '--duration',
    duration,
    '--video-uids',
    '1001',
  ];

  /** Parses stdout that must hold exactly one JSON value. */
  function onlyJson<T>(r: Run): T {
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    return JSON.parse(r.stdout) as T;
  }

  const capturing = (workflowId: string) =>
    waitFor(
      async () => {
        const s = await getCapture(h.env.client, workflowId);
        return s.phase === 'CAPTURING' ? s : undefined;
      },
      { what: `${workflowId} CAPTURING` },
    );

  it('rejects an invalid request with exit 2, naming the field, without any Agora call or workflow', async () => {
    const channel = uniqueChannel('cli-invalid');
    const before = h.emulator.requests().length;
    const r = await cli([
      'start',
      '--channel',
      channel,
      '--uid',
      UID,
      '--interval',
      '2',
      '--duration',
      '30s',
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--interval (snapshotConfig.captureInterval): must be within [5s, 1h]');
    expect(h.emulator.requests()).toHaveLength(before);
    expect(h.emulator.ledger().filter((e) => e.cname === channel)).toEqual([]);
    const described = await h.env.client.workflow
      .getHandle(`capture/${channel}/${UID}`)
      .describe()
      .catch((e: unknown) => e);
    expect(described).toBeInstanceOf(WorkflowNotFoundError);
  });

  const agoraCalls = () =>
    h.emulator.requests().filter((q) => q.endpoint === 'acquire' || q.endpoint === 'start');

  it('start with an unknown storage profile exits 1 naming it within seconds, and no Agora session is made', async () => {
    const channel = uniqueChannel('cli-nosuch');
    const before = agoraCalls().length;
    const t0 = Date.now();
    // A wait far longer than the test's bound: the answer is the failure, not the end of the wait.
    const r = await cli([...startArgs(channel, '10m'), '--storage', 'nosuch', '--wait', '5m']);
    expect(Date.now() - t0).toBeLessThan(60_000);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'start failed: StorageProfileNotFound: storage profile "nosuch" is not configured',
    );
    // What the capture's own status says of its session, not a blanket claim.
    expect(r.stderr).toMatch(/\n {2}capture \S+ ended FAILED; no Agora session was started\n/);
    expect(agoraCalls()).toHaveLength(before);
    expect(h.emulator.ledger().filter((e) => e.cname === channel)).toEqual([]);
  });

  it('start --json waits for Agora and prints the session sid with started true', async () => {
    const channel = uniqueChannel('cli-sid');
    const out = onlyJson<{ workflowId: string; sid: string; started: boolean; phase: string }>(
      await cli([...startArgs(channel, '10m'), '--json']),
    );
    expect(out).toMatchObject({
      started: true,
      phase: 'CAPTURING',
      sid: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(h.emulator.ledger().find((e) => e.sid === out.sid)).toMatchObject({
      active: true,
      cname: channel,
    });
    await stopCapture(h.env.client, out.workflowId, { wait: true });
    await keepHistory('sync-start-stop-update', h.env.client, out.workflowId);
  });

  it('start of a capture that has ended starts a new run with a new session (started true)', async () => {
    const channel = uniqueChannel('cli-rerun');
    const first = onlyJson<{ workflowId: string; runId: string; sid: string }>(
      await cli([...startArgs(channel, '10m'), '--json']),
    );
    await stopCapture(h.env.client, first.workflowId, { wait: true });
    const again = onlyJson<{ workflowId: string; runId: string; sid: string; started: boolean }>(
      await cli([...startArgs(channel, '10m'), '--json']),
    );
    expect(again).toMatchObject({ workflowId: first.workflowId, started: true });
    expect(again.runId).not.toBe(first.runId);
    expect(again.sid).toMatch(/^[0-9a-f]{32}$/);
    expect(again.sid).not.toBe(first.sid);
    await stopCapture(h.env.client, again.workflowId, { wait: true });
  });

  it('start exits 1 naming the 401 when Agora refuses the customer secret', async () => {
    const channel = uniqueChannel('cli-401');
    h.emulator.rotateCredentials({ customerSecret: 'a-secret-the-worker-does-not-have' });
    try {
      const r = await cli(startArgs(channel, '10m'));
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^start failed: AgoraUnauthorized: .*401/);
      expect(r.stderr).not.toContain(SECRETS.customerSecret);
    } finally {
      h.emulator.rotateCredentials({ customerSecret: SECRETS.customerSecret });
    }
    expect(h.emulator.ledger().filter((e) => e.cname === channel)).toEqual([]);
  });

  it('start while Agora answers 5xx returns after --wait with the phase, no sid, and the capture still retrying', async () => {
    const channel = uniqueChannel('cli-5xx');
    h.emulator.inject(
      'acquire',
      ...Array.from({ length: 200 }, () => agoraError(503, 503, 'service unavailable')),
    );
    const t0 = Date.now();
    const out = onlyJson<{ workflowId: string; sid?: string; started: boolean; phase: string }>(
      await cli([...startArgs(channel, '10m'), '--wait', '2s', '--json']),
    );
    h.emulator.clearFaults();
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(out).toMatchObject({ started: true, phase: 'ACQUIRING' });
    expect(out.sid).toBeUndefined();
    // Still retrying, not failed: once Agora answers again the same capture runs.
    const s = await waitFor(
      async () => {
        const st = await getCapture(h.env.client, out.workflowId);
        return st.phase === 'CAPTURING' ? st : undefined;
      },
      { what: 'the retried acquire to reach CAPTURING', timeoutMs: 60_000 },
    );
    expect(h.emulator.ledger().find((e) => e.sid === s.sid)).toMatchObject({ active: true, cname: channel });
    await stopCapture(h.env.client, out.workflowId, { wait: true });
  });

  it('a capture waiting for a quota slot: start says QUEUED, list --phase QUEUED finds it, stop --wait ends it with no session', async () => {
    const channel = uniqueChannel('cli-queued');
    const overLoad = agoraError(400, 406, 'vendor_over_load');
    h.emulator.inject('acquire', ...Array.from({ length: 50 }, () => overLoad));
    try {
      const started = await cli([...startArgs(channel, '10m'), '--wait', '3s']);
      expect(started.code).toBe(0);
      expect(started.stdout).toContain(
        "Agora's concurrent-task quota is full (acquire answered 406): phase QUEUED, waiting for a slot",
      );
      const workflowId = `capture/${channel}/${UID}`;
      const listed = await waitFor(
        async () => {
          const r = await cli(['list', '--phase', 'QUEUED', '--channel', channel]);
          return r.code === 0 && r.stdout.includes(workflowId) ? r : undefined;
        },
        { what: 'the capture listed as QUEUED' },
      );
      expect(listed.stdout).toMatch(/RUNNING +QUEUED/);
      const stopped = await cli(['stop', workflowId, '--reason', 'not needed', '--wait']);
      expect(stopped.code).toBe(0);
      expect(stopped.stdout).toMatch(
        /ended: stopped \(not needed\)\n {2}ran +not at all: no Agora session was started/,
      );
      expect(stopped.stdout).toMatch(/stop outcome +not-started/);
    } finally {
      h.emulator.clearFaults();
    }
    expect(h.emulator.ledger().filter((e) => e.cname === channel)).toEqual([]);
  });

  /**
   * A synchronous start (60 s wait) of a new capture, held in `phase` by the fault injected
   * first; returns the capture's id and the start call's settled outcome.
   */
  const startHeldIn = async (channel: string, phase: 'ACQUIRING' | 'STARTING') => {
    if (phase === 'ACQUIRING')
      h.emulator.inject(
        'acquire',
        ...Array.from({ length: 200 }, () => agoraError(503, 503, 'service unavailable')),
      );
    else h.emulator.inject('start', { kind: 'latency', ms: 2500 });
    const request = captureRequest({ channel, durationSeconds: 600 });
    const outcome = startCapture(h.env.client, h.taskQueue, request, { waitSeconds: 60 }).then(
      (v) => ({ ok: true as const, v }),
      (e: unknown) => ({ ok: false as const, e }),
    );
    const workflowId = captureWorkflowId(channel, String(request.recorderUid));
    await waitFor(
      async () => {
        const st = await getCapture(h.env.client, workflowId).catch(() => undefined);
        return st?.phase === phase ? st : undefined;
      },
      { what: `phase ${phase}` },
    );
    return { workflowId, outcome };
  };

  it('a synchronous start whose capture is cancelled while it waits fails naming the cancel, and that no session started', async () => {
    const channel = uniqueChannel('cancel-waiting');
    const { workflowId, outcome } = await startHeldIn(channel, 'ACQUIRING');
    const t0 = Date.now();
    await cancelCapture(h.env.client, workflowId);
    const r = await outcome;
    h.emulator.clearFaults();
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(!r.ok && r.e).toBeInstanceOf(CaptureStartFailedError);
    expect(!r.ok && r.e).toMatchObject({
      failureType: 'CaptureCancelled',
      reason: 'the capture was cancelled while the start waited for Agora',
      session: 'ended CANCELED; no Agora session was started',
    });
    expect(h.emulator.ledger().filter((e) => e.cname === channel)).toEqual([]);
  });

  it('a synchronous start whose capture is terminated while it waits names the terminate and the sweeper', async () => {
    const channel = uniqueChannel('terminate-waiting');
    const { workflowId, outcome } = await startHeldIn(channel, 'ACQUIRING');
    const t0 = Date.now();
    await h.env.client.workflow.getHandle(workflowId).terminate('test: terminate while a start waits');
    const r = await outcome;
    h.emulator.clearFaults();
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(!r.ok && r.e).toMatchObject({
      failureType: 'CaptureTerminated',
      reason: 'the capture was terminated while the start waited for Agora',
      session: 'ended TERMINATED, which runs no stop: the sweeper stops any Agora session it had',
    });
  });

  it('a synchronous start whose capture is cancelled while Agora answers its start says the session was then stopped', async () => {
    const channel = uniqueChannel('cancel-starting');
    const { workflowId, outcome } = await startHeldIn(channel, 'STARTING');
    await cancelCapture(h.env.client, workflowId);
    const r = await outcome;
    h.emulator.clearFaults();
    // The update gives way to the cancel at once; the run still waits for Agora's answer and
    // stops that session before it ends, and the error says so once the run has closed.
    expect(!r.ok && r.e).toMatchObject({
      failureType: 'CaptureCancelled',
      session: 'ended CANCELED; its Agora session was stopped (stopped)',
    });
    expect(h.emulator.ledger().filter((e) => e.cname === channel)).toEqual([
      expect.objectContaining({ active: false, stopCalls: 1 }),
    ]);
  });

  it('an awaitStart update without callerBoundsWait (an older client) still answers after its waitSeconds', async () => {
    const channel = uniqueChannel('old-await');
    h.emulator.inject(
      'acquire',
      ...Array.from({ length: 200 }, () => agoraError(503, 503, 'service unavailable')),
    );
    const request = validateCaptureRequest(captureRequest({ channel, durationSeconds: 600 }));
    if (!request.ok) throw new Error('fixture request is invalid');
    const workflowId = captureWorkflowId(channel, request.request.recorderUid);
    const op = new WithStartWorkflowOperation<typeof captureChannelWorkflow>('captureChannelWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      args: [request.request],
      workflowIdConflictPolicy: 'USE_EXISTING',
      memo: { startToken: 'old-client' },
    });
    // What a client from before callerBoundsWait sends: the handler's own timer bounds the wait.
    const outcome = await h.env.client.workflow.executeUpdateWithStart(awaitStartUpdate, {
      args: [{ request: request.request, waitSeconds: 1, startToken: 'old-client' }],
      startWorkflowOperation: op,
    });
    h.emulator.clearFaults();
    expect(outcome).toMatchObject({ phase: 'ACQUIRING', started: true });
    expect(outcome.sid).toBeUndefined();
    const events = (await h.env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    expect(
      events.some((e) => e.timerStartedEventAttributes?.startToFireTimeout?.seconds?.toString() === '1'),
    ).toBe(true);
    await capturing(workflowId);
    await stopCapture(h.env.client, workflowId, { wait: true });
  });

  it("status of an operator-paused capture says the pause is the operator's, with the reason given", async () => {
    const channel = uniqueChannel('cli-paused');
    const { workflowId } = onlyJson<{ workflowId: string }>(
      await cli([...startArgs(channel, '10m'), '--json']),
    );
    const pause = await cli(['pause', workflowId, '--reason', 'room maintenance']);
    expect(pause).toMatchObject({ code: 0, stderr: '' });
    const json = onlyJson<CaptureStatus>(await cli(['status', workflowId, '--json']));
    expect(json.phase).toBe('PAUSED');
    expect(json.pause).toMatchObject({
      by: 'operator',
      reason: 'room maintenance',
      since: expect.any(String),
    });
    const human = await cli(['status', workflowId]);
    expect(human.stdout).toMatch(/paused by\s+operator since .*: room maintenance/);

    // The same start again: the capture runs, but its session was released by the pause.
    const again = await cli(startArgs(channel, '10m'));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('operator-paused: no Agora session runs');
    expect(again.stdout).toContain(`agora-capture resume ${workflowId}`);
    expect(again.stdout).not.toMatch(/Agora sid \w+ \(PAUSED\)/);
    const againJson = onlyJson<{ started: boolean; operatorPaused?: boolean }>(
      await cli([...startArgs(channel, '10m'), '--json']),
    );
    expect(againJson).toMatchObject({ started: false, operatorPaused: true });
    await stopCapture(h.env.client, workflowId, { wait: true });
  });

  it('resume during an Agora outage says the capture keeps retrying, and it captures once Agora answers', async () => {
    const channel = uniqueChannel('cli-resume-outage');
    const { workflowId } = onlyJson<{ workflowId: string }>(
      await cli([...startArgs(channel, '10m'), '--json']),
    );
    await capturing(workflowId);
    expect((await cli(['pause', workflowId])).code).toBe(0);
    h.emulator.inject('acquire', ...Array.from({ length: 100 }, () => agoraError(503, 503, 'unavailable')));
    const resume = await cli(['resume', workflowId]);
    expect(resume).toMatchObject({ code: 0, stderr: '' });
    expect(resume.stdout).toBe(
      `resume of ${workflowId} accepted, no Agora session yet after 20s (phase ACQUIRING); the capture keeps retrying: agora-capture status ${workflowId}\n`,
    );
    h.emulator.clearFaults();
    const resumed = await capturing(workflowId);
    expect(resumed.segments).toHaveLength(2);
    await stopCapture(h.env.client, workflowId, { wait: true });
  }, 120_000);

  it('pause while Agora fails the stop says after 20 s that the session is not released and may bill, then pauses once Agora answers', async () => {
    const channel = uniqueChannel('cli-pause-stop-fails');
    const { workflowId } = onlyJson<{ workflowId: string }>(
      await cli([...startArgs(channel, '10m'), '--json']),
    );
    const { sid } = await capturing(workflowId);
    h.emulator.inject('stop', ...Array.from({ length: 100 }, () => agoraError(500, 62, 'request timeout')));
    const pause = await cli(['pause', workflowId]);
    expect(pause).toMatchObject({ code: 0, stderr: '' });
    expect(pause.stdout).toMatch(
      new RegExp(
        `^pause of ${workflowId} accepted, its Agora session not released yet after 20s \\(phase \\w+: .*\\); it may still bill, and the capture keeps stopping it: agora-capture status ${workflowId}\n$`,
      ),
    );
    // What it said is true: the session still runs at Agora.
    expect(h.emulator.ledger().find((e) => e.sid === sid)).toMatchObject({ active: true });
    // Meanwhile the capture is pausing, not ending.
    const early = await cli(['resume', workflowId]);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/refused: cannot resume yet: the capture is still pausing/);
    h.emulator.clearFaults();
    await waitFor(
      async () => ((await getCapture(h.env.client, workflowId)).operatorPaused ? true : undefined),
      { what: 'the pause carried out', timeoutMs: 90_000 },
    );
    expect(h.emulator.ledger().find((e) => e.sid === sid)).toMatchObject({ active: false });
    await stopCapture(h.env.client, workflowId, { wait: true });
  }, 150_000);

  it('resume that Agora refuses exits 1 saying the capture is ending, not "resumed"', async () => {
    const channel = uniqueChannel('cli-resume-refused');
    const { workflowId } = onlyJson<{ workflowId: string }>(
      await cli([...startArgs(channel, '10m'), '--json']),
    );
    await capturing(workflowId);
    expect((await cli(['pause', workflowId])).code).toBe(0);
    h.emulator.inject('acquire', agoraError(400, 2, 'invalid parameter'));
    const resume = await cli(['resume', workflowId]);
    expect(resume.code).toBe(1);
    expect(resume.stdout).toBe('');
    expect(resume.stderr).toMatch(
      new RegExp(
        `^agora-capture resume: resume of ${workflowId} failed: the capture is ending \\(failed\\): .*invalid parameter`,
      ),
    );
    await waitForCapture(h.env.client, workflowId).catch(() => undefined);
  });

  it('start --json prints one JSON object; status --json has phase and sid; stop ends it as stopped', async () => {
    const channel = uniqueChannel('cli');
    const started = onlyJson<{ workflowId: string; runId: string; uiUrl: string; started: boolean }>(
      await cli([...startArgs(channel, '10m'), '--json']),
    );
    expect(started.workflowId).toBe(`capture/${channel}/${UID}`);
    expect(started.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(started.uiUrl).toBe(
      `http://localhost:8233/namespaces/default/workflows/${encodeURIComponent(started.workflowId)}`,
    );
    await capturing(started.workflowId);

    const status = onlyJson<CaptureStatus & { execution: { status: string } }>(
      await cli(['status', started.workflowId, '--json']),
    );
    expect(status.phase).toBe('CAPTURING');
    expect(status.execution.status).toBe('RUNNING');
    expect(status.sid).toMatch(/^[0-9a-f]{32}$/);
    expect(h.emulator.ledger().find((e) => e.sid === status.sid)).toMatchObject({
      active: true,
      cname: channel,
    });

    const human = await cli(['status', '--channel', channel, '--uid', UID]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`${started.workflowId}  CAPTURING`);
    expect(human.stdout).toContain(status.sid!);

    const stop = await cli(['stop', started.workflowId, '--reason', 'cli test']);
    expect(stop).toMatchObject({ code: 0, stderr: '' });
    const result = await waitForCapture(h.env.client, started.workflowId);
    expect(result).toMatchObject({
      reason: 'stopped',
      stopReason: 'cli test',
      stopOutcome: 'stopped',
      sid: status.sid,
    });
    expect(h.emulator.ledger().find((e) => e.sid === status.sid)).toMatchObject({
      active: false,
      endedBy: 'stop',
      stopCalls: 1,
    });
  });

  it('start again: the running capture with started false; with other settings exit 1 naming the field', async () => {
    const channel = uniqueChannel('cli-again');
    const started = onlyJson<{ workflowId: string; runId: string; started: boolean }>(
      await cli([...startArgs(channel, '10m'), '--json']),
    );
    expect(started.started).toBe(true);
    await capturing(started.workflowId);
    const again = onlyJson<{ runId: string; started: boolean }>(
      await cli([...startArgs(channel, '10m'), '--json']),
    );
    expect(again).toMatchObject({ runId: started.runId, started: false });
    const conflicting = await cli([...startArgs(channel, '20m'), '--json']);
    expect(conflicting.code).toBe(1);
    expect(conflicting.stderr).toContain('differs: durationSeconds');
    // --json: the refusal as one JSON object on stdout too, for scripts.
    expect(conflicting.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(conflicting.stdout)).toEqual({
      error: { message: expect.stringContaining('differs: durationSeconds'), exitCode: 1 },
    });

    await stopCapture(h.env.client, started.workflowId, { wait: true });
  }, 180_000);

  it('stop --wait while Agora refuses the stop says so once on stderr, keeps waiting, and prints the result when it lands', async () => {
    const channel = uniqueChannel('cli-stopfail');
    const { workflowId } = onlyJson<{ workflowId: string }>(
      await cli([...startArgs(channel, '10m'), '--json']),
    );
    await capturing(workflowId);
    // One round of three attempts fails; the next round (30 s later) lands.
    h.emulator.inject('stop', ...Array.from({ length: 3 }, () => agoraError(500, 1, 'internal')));
    const r = await cli(['stop', workflowId, '--wait', '--reason', 'done']);
    expect(r.code).toBe(0);
    const said = r.stderr.split('\n').filter((l) => l.includes('refused the stop'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(
      new RegExp(
        `^${workflowId}: Agora has refused the stop since \\S+ \\(AgoraServerError: .*\\); the capture keeps retrying`,
      ),
    );
    expect(r.stdout).toMatch(/stop outcome +stopped/);
    expect(h.emulator.ledger().filter((e) => e.cname === channel)).toEqual([
      expect.objectContaining({ active: false, stopCalls: 1 }),
    ]);
  }, 120_000);

  it('reads --duration 1h30m as 5400 s; stop --wait --json returns the final result', async () => {
    const channel = uniqueChannel('cli-long');
    const { workflowId } = onlyJson<{ workflowId: string }>(
      await cli([...startArgs(channel, '1h30m'), '--json']),
    );
    const s = await capturing(workflowId);
    expect(Date.parse(s.deadline!) - Date.parse(s.startedAt!)).toBe(5400 * 1000);

    const result = onlyJson<CaptureResult>(
      await cli(['stop', workflowId, '--wait', '--json', '--reason', 'enough']),
    );
    expect(result).toMatchObject({
      workflowId,
      reason: 'stopped',
      stopReason: 'enough',
      stopOutcome: 'stopped',
    });
  });

  it('watch follows the capture to its end and prints the final phase and result', async () => {
    const channel = uniqueChannel('cli-watch');
    // --no-wait returns before CAPTURING; 30 s leaves the watch process (slow to start on a busy
    // machine) time to see the capture run before its duration ends it.
    const start = await cli([...startArgs(channel, '30s'), '--no-wait']);
    expect(start.code).toBe(0);
    expect(start.stdout).toContain('not waiting for Agora (--no-wait)');
    expect(start.stdout).toContain(`started capture/${channel}/${UID}`);
    expect(start.stdout).toContain(
      `http://localhost:8233/namespaces/default/workflows/capture%2F${encodeURIComponent(channel)}%2F${UID}`,
    );

    const w = await cli(['watch', `capture/${channel}/${UID}`, '--interval-ms', '200']);
    expect(w.stderr).toBe('');
    expect(w.code).toBe(0);
    const lines = w.stdout.trim().split('\n');
    expect(lines.some((l) => /\bCAPTURING\b/.test(l))).toBe(true);
    expect(lines.filter((l) => /^\d\d:\d\d:\d\d {2}STOPPED\b/.test(l))).toHaveLength(1);
    expect(w.stdout).toContain(`capture/${channel}/${UID}  ended: duration`);
    expect(w.stdout).toMatch(/stop outcome\s+stopped/);
  }, 120_000);

  it('a second cancel while the first is stopping the session says the capture is already ending', async () => {
    const channel = uniqueChannel('cli-cancel2');
    const { workflowId } = onlyJson<{ workflowId: string }>(
      await cli([...startArgs(channel, '10m'), '--json']),
    );
    await capturing(workflowId);
    h.emulator.inject('stop', { kind: 'latency', ms: 2000 }); // the first cancel's stop is slow
    expect((await cli(['cancel', workflowId])).stdout).toContain('cancellation requested');
    await waitFor(
      async () => (await getCapture(h.env.client, workflowId)).phase === 'STOPPING' || undefined,
      {
        what: 'STOPPING',
      },
    );
    const again = await cli(['cancel', workflowId]);
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(again.stdout).toContain(
      `${workflowId} is already ending (cancelled, phase STOPPING): nothing more to request`,
    );
    await waitForCapture(h.env.client, workflowId).catch(() => undefined);
  });

  it('watch exits non-zero when the capture is cancelled (cancel by --channel/--uid)', async () => {
    const channel = uniqueChannel('cli-cancel');
    const { workflowId } = onlyJson<{ workflowId: string }>(
      await cli([...startArgs(channel, '10m'), '--json']),
    );
    await capturing(workflowId);
    const watching = cli(['watch', '--channel', channel, '--uid', UID, '--interval-ms', '200']);
    const c = await cli(['cancel', '--channel', channel, '--uid', UID]);
    expect(c).toMatchObject({ code: 0, stderr: '' });
    // A session was running: the cancel's words claim no more than "stops any it started".
    expect(c.stdout).toContain('the capture stops any Agora session it started before it ends');
    const w = await watching;
    expect(w.code).toBe(1);
    expect(w.stderr).toContain(`${workflowId} cancelled`);
    expect(await getCapture(h.env.client, workflowId)).toMatchObject({
      phase: 'STOPPED',
      endReason: 'cancelled',
    });
    // list spells the closed status as status, the UI and the temporal CLI do.
    await waitFor(
      async () => {
        const r = await cli(['list', '--channel', channel, '--json']);
        const rows = JSON.parse(r.stdout) as Array<{ status: string }>;
        return rows[0]?.status === 'CANCELED' ? rows : undefined;
      },
      { what: 'list to show CANCELED', timeoutMs: 30_000, intervalMs: 500 },
    );
  });

  it('list shows captures by channel from visibility', async () => {
    const channel = uniqueChannel('cli-list');
    const { workflowId } = onlyJson<{ workflowId: string }>(
      await cli([...startArgs(channel, '10m'), '--json']),
    );
    await capturing(workflowId);
    const rows = await waitFor(
      async () => {
        const r = await cli(['list', '--channel', channel, '--running', '--json']);
        const list = JSON.parse(r.stdout) as Array<{ workflowId: string; phase?: string }>;
        return list.length === 1 && list[0]?.phase === 'CAPTURING' ? list : undefined;
      },
      { what: 'visibility to list the capture', timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(rows[0]?.workflowId).toBe(workflowId);
    const table = await cli(['list', '--channel', channel]);
    expect(table.stdout).toMatch(/^WORKFLOW ID\s+STATUS\s+PHASE\s+CHANNEL/);
    expect(table.stdout).toContain(workflowId);
    await stopCapture(h.env.client, workflowId, { wait: true });
  });

  it('stop, cancel, pause and resume of an ended capture say it ended, when and how (not "no capture", not "requested")', async () => {
    const channel = uniqueChannel('cli-ended');
    const { workflowId } = onlyJson<{ workflowId: string }>(
      await cli([...startArgs(channel, '10m'), '--json']),
    );
    await capturing(workflowId);
    await stopCapture(h.env.client, workflowId, { reason: 'done here', wait: true });
    await waitForCapture(h.env.client, workflowId);

    const stop = await cli(['stop', workflowId]);
    expect(stop.code).toBe(1);
    expect(stop.stdout).toBe('');
    expect(stop.stderr).toMatch(
      new RegExp(
        `^agora-capture stop: ${workflowId} has already ended at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ: COMPLETED, end reason stopped \\(done here\\); nothing to stop\\n$`,
      ),
    );
    const cancel = await cli(['cancel', workflowId]);
    expect(cancel.code).toBe(1);
    expect(cancel.stdout).toBe('');
    expect(cancel.stderr).toContain(`${workflowId} has already ended`);
    expect(cancel.stderr).toContain('nothing to cancel');
    for (const command of ['pause', 'resume']) {
      const r = await cli([command, workflowId]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${workflowId} has already ended`);
      expect(r.stderr).toContain(`nothing to ${command}`);
    }
  }, 180_000);

  it('status of a terminated capture says TERMINATED, and that its phase is only the last recorded one', async () => {
    const channel = uniqueChannel('cli-term');
    const { workflowId } = onlyJson<{ workflowId: string }>(
      await cli([...startArgs(channel, '10m'), '--json']),
    );
    const { sid } = await capturing(workflowId);
    await h.env.client.workflow.getHandle(workflowId).terminate('operator pulled the plug');

    const human = await cli(['status', workflowId]);
    expect(human).toMatchObject({ code: 0, stderr: '' });
    const header = human.stdout.split('\n')[0];
    expect(header).toBe(`${workflowId}  TERMINATED  (last recorded phase CAPTURING)`);
    expect(human.stdout).toMatch(/how it ended\s+terminated: operator pulled the plug/);
    expect(human.stdout).not.toContain(`${workflowId}  CAPTURING`);

    const json = onlyJson<CaptureStatus & { execution: { status: string; closeTime: string } }>(
      await cli(['status', workflowId, '--json']),
    );
    expect(json.execution).toMatchObject({ status: 'TERMINATED', closeTime: expect.any(String) });
    // Terminating skips the workflow's own stop: the session is still billed (the reason for a real stop).
    expect(h.emulator.ledger().find((e) => e.sid === sid)).toMatchObject({ active: true });
  });

  it('a terminated capture never reads as live: status, stop and watch say where the sweep is with its session', async () => {
    const channel = uniqueChannel('cli-swept');
    const { workflowId } = onlyJson<{ workflowId: string }>(
      await cli([...startArgs(channel, '10m'), '--json']),
    );
    const { sid } = await capturing(workflowId);
    await h.env.client.workflow.getHandle(workflowId).terminate('wrong button');
    const short = `sid ${sid!.slice(0, 8)}…`;

    // Before any sweep: the session bills, and nothing says "nothing to stop".
    const status = await cli(['status', workflowId]);
    expect(status.stdout).toMatch(new RegExp(`left open\\s+${short}: not swept yet`));
    expect(status.stdout).not.toMatch(/deadline|\n {2}video /);
    const stop = await cli(['stop', workflowId]);
    expect(stop.code).toBe(1);
    expect(stop.stderr).toContain(
      `it left Agora sessions that may bill, which the sweep stops: ${short}: not swept yet`,
    );
    expect(stop.stderr).not.toContain('nothing to stop');
    const before = onlyJson<{ sweep: SessionFate[] }>(await cli(['status', workflowId, '--json']));
    expect(before.sweep).toEqual([expect.objectContaining({ sid, state: 'not-swept-yet' })]);

    // After the sweep: each view says the sweep stopped it, as the ledger shows.
    await sweepNow(h.env.client, h.taskQueue);
    expect(h.emulator.ledger().find((e) => e.sid === sid)).toMatchObject({ active: false, stopCalls: 1 });
    const after = onlyJson<{ sweep: SessionFate[] }>(await cli(['status', workflowId, '--json']));
    expect(after.sweep).toEqual([expect.objectContaining({ sid, state: 'done', outcome: 'stopped' })]);
    expect((await cli(['status', workflowId])).stdout).toMatch(
      new RegExp(`left open\\s+${short}: stopped by the sweep`),
    );
    const watch = await cli(['watch', workflowId]);
    expect(watch.code).toBe(1);
    expect(watch.stdout).not.toContain('CAPTURING');
    expect(watch.stderr).toContain(`left open: ${short}: stopped by the sweep`);
  });

  it('status --json of a capture that failed validation shows the reason and the broken rule', async () => {
    const channel = uniqueChannel('cli-badreq');
    const workflowId = `capture/${channel}/${UID}`;
    // Past the client's own validation (an older client, or another SDK): the workflow refuses it.
    await h.env.client.workflow.start('captureChannelWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      args: [
        {
          channel,
          recorderUid: UID,
          durationSeconds: 60,
          storageProfile: 'default',
          recordingConfig: { subscribeUidGroup: 0 },
          snapshotConfig: { captureInterval: 2, fileType: ['jpg'] },
        },
      ],
    });
    await expect(waitForCapture(h.env.client, workflowId)).rejects.toThrow('Workflow execution failed');

    const json = onlyJson<{
      phase: string;
      execution: {
        status: string;
        failure: { type: string; message: string; issues: { field: string; rule: string }[] };
      };
    }>(await cli(['status', workflowId, '--json']));
    expect(json.phase).toBe('FAILED');
    expect(json.execution.status).toBe('FAILED');
    expect(json.execution.failure).toMatchObject({
      type: 'InvalidCaptureRequest',
      message: expect.stringContaining('snapshotConfig.captureInterval'),
      issues: [{ field: 'snapshotConfig.captureInterval', rule: 'must be within [5, 3600] seconds' }],
    });
    const human = await cli(['status', workflowId]);
    expect(human.stdout).toMatch(
      /failure\s+invalid capture request: snapshotConfig\.captureInterval: must be within \[5, 3600\] seconds/,
    );
  });

  it('reports an unknown capture and an unreachable server in one line with exit 1', async () => {
    const missing = await cli(['status', 'capture/nobody-here/1']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(
      'agora-capture status: no capture capture/nobody-here/1 in namespace default',
    );
    const down = await cli(['status', 'capture/x/1'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(down.code).toBe(1);
    expect(down.stdout).toBe('');
    expect(down.stderr.trim().split('\n')).toHaveLength(1);
    expect(down.stderr).toContain('cannot reach Temporal at 127.0.0.1:1');
  });
});
