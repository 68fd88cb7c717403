/**
 * `agora-capture setup` on a bare Temporal dev server (started without --search-attribute):
 * registers the search attributes and the sweep schedule, a re-run changes nothing, a new
 * interval updates the schedule, and an unreachable server is one plain line and exit 1.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../client/cli/run';
import type { CliIo } from '../../client/cli/io';
import { sweepScheduleId } from '../../client/setup';
import { CAPTURE_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { type DevServer, startDevServer } from '../helpers/dev-server';
import { freePort } from '../helpers/free-port';
import { workerEnv } from '../helpers/worker-env';
import { connectCloseSafe } from '../../client/grpc-retry';

function bufferIo() {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false };
  return { io, out: () => out, err: () => err };
}

describe('agora-capture setup', () => {
  let server: DevServer;
  let client: Client;
  const env = () => ({
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: 'tq-setup',
  });

  beforeAll(async () => {
    server = await startDevServer({ setup: false });
    client = new Client({
      connection: await connectCloseSafe({
        address: server.address,
      }),
    });
  });
  afterAll(async () => {
    await client?.connection.close();
    await server?.stop();
  });

  it('before setup: start, list and the worker refuse, naming what is missing and that setup prepares it; nothing starts', async () => {
    const startArgs = [
      'start',
      '--channel',
      'bare',
      '--uid',
      '527841',
      '--interval',
      '5',
      '--duration',
      '30',
    ];
    for (const args of [startArgs, [...startArgs, '--no-wait']]) {
      const r = bufferIo();
      expect(await runCli(args, r.io, env())).toBe(1);
      expect(r.err()).toBe(
        `agora-capture start: namespace default is not prepared for agora-capture (missing search attributes ${CAPTURE_SEARCH_ATTRIBUTES.map((k) => k.name).join(', ')}; sweep schedule agora-capture-sweep/tq-setup): run "agora-capture setup"\n`,
      );
    }
    const none = client.workflow.list({ query: 'WorkflowType = "captureChannelWorkflow"' });
    for await (const w of none) throw new Error(`a capture was started: ${w.workflowId}`);

    const list = bufferIo();
    expect(await runCli(['list', '--phase', 'CAPTURING'], list.io, env())).toBe(1);
    expect(list.err()).toMatch(/CapturePhase.*is namespace default prepared\? run "agora-capture setup"/);

    // The worker refuses to poll (its captures' first task would fail), exit 2 with the same advice.
    const worker = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
      cwd: path.join(__dirname, '..', '..'),
      env: {
        ...process.env,
        ...workerEnv('http://127.0.0.1:9', server.address, 'tq-setup'),
        LOG_LEVEL: 'WARN',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    worker.stdout.on('data', (d: Buffer) => (output += d.toString()));
    worker.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const [code] = (await once(worker, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(output).toContain(
      'namespace default is not prepared for agora-capture (missing search attributes',
    );
    expect(output).toContain('run "agora-capture setup" against it, then start the worker');
    expect(output).not.toContain('worker polling');
  }, 120_000);

  it('prepares a bare server, and a second run reports that nothing changed', async () => {
    const before = await client.connection.operatorService.listSearchAttributes({ namespace: 'default' });
    expect(Object.keys(before.customAttributes ?? {})).not.toContain('CaptureOpenSessions');

    const first = bufferIo();
    expect(await runCli(['setup'], first.io, env())).toBe(0);
    for (const key of CAPTURE_SEARCH_ATTRIBUTES)
      expect(first.out()).toContain(`search attribute ${key.name}: created`);
    expect(first.out()).toContain(
      'sweep schedule agora-capture-sweep/tq-setup: created (every 60s on task queue tq-setup)',
    );

    const after = await client.connection.operatorService.listSearchAttributes({ namespace: 'default' });
    expect(Object.keys(after.customAttributes ?? {})).toEqual(
      expect.arrayContaining(CAPTURE_SEARCH_ATTRIBUTES.map((k) => k.name)),
    );
    const schedule = await client.schedule.getHandle(sweepScheduleId('tq-setup')).describe();
    expect(schedule.action).toMatchObject({ workflowType: 'captureSweepWorkflow', taskQueue: 'tq-setup' });

    const second = bufferIo();
    expect(await runCli(['setup', '--json'], second.io, env())).toBe(0);
    const report = JSON.parse(second.out()) as {
      searchAttributes: { change: string }[];
      schedule: { change: string };
    };
    expect(report.searchAttributes.every((a) => a.change === 'found')).toBe(true);
    expect(report.schedule.change).toBe('found');

    const third = bufferIo();
    expect(await runCli(['setup'], third.io, env())).toBe(0);
    expect(third.out()).toContain('nothing changed');
    expect(third.out()).not.toContain('created');
  });

  it('changes the sweep interval of an existing schedule with --sweep-interval', async () => {
    const run = bufferIo();
    expect(await runCli(['setup', '--sweep-interval', '5m'], run.io, env())).toBe(0);
    expect(run.out()).toContain('sweep schedule agora-capture-sweep/tq-setup: updated (every 300s');
    const schedule = await client.schedule.getHandle(sweepScheduleId('tq-setup')).describe();
    expect(Number(schedule.spec.intervals?.[0]?.every)).toBe(300_000);
  });

  it('creates a namespace that does not exist yet', async () => {
    const run = bufferIo();
    expect(await runCli(['setup'], run.io, { ...env(), TEMPORAL_NAMESPACE: 'captures-fresh' })).toBe(0);
    expect(run.out()).toContain('namespace captures-fresh: created');
    const ns = await client.workflowService.describeNamespace({ namespace: 'captures-fresh' });
    expect(Number(ns.config?.workflowExecutionRetentionTtl?.seconds)).toBe(7 * 86_400);
  });

  it('exits 1 with a plain message when Temporal is unreachable', async () => {
    const run = bufferIo();
    const code = await runCli(['setup'], run.io, { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` });
    expect(code).toBe(1);
    expect(run.err()).toMatch(/^agora-capture setup: cannot reach Temporal at 127\.0\.0\.1:\d+/);
  });
});
