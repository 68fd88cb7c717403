import { MockActivityEnvironment } from '@temporalio/testing';
import type { MetricCounter, MetricHistogram, MetricMeter, MetricTags } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { AgoraError, type AgoraResult } from '../../agora';
import { AGORA_CALLS, AGORA_CALL_DURATION, meteredCall, outcomeOf } from '../../activities/metered';
import { loadWorkerConfig, metricsAddressProblem } from '../../worker/config';
import { formatJsonLine, runtimeOptions } from '../../worker/telemetry';
import { workerEnv } from '../helpers/harness';

const env = (over: Record<string, string | undefined> = {}) => ({
  ...workerEnv('http://127.0.0.1:9', '127.0.0.1:7233', 'q'),
  ...over,
});

/** A meter that records every add/record as [name, value, tags]. */
function recordingMeter(): { meter: MetricMeter; seen: [string, number, MetricTags][] } {
  const seen: [string, number, MetricTags][] = [];
  const base = { unit: '', description: '', valueType: 'int' as const, withTags: () => undefined as never };
  const meter = {
    createCounter: (name: string): MetricCounter => ({
      ...base,
      name,
      kind: 'counter',
      add: (v: number, tags: MetricTags = {}) => void seen.push([name, v, tags]),
    }),
    createHistogram: (name: string): MetricHistogram => ({
      ...base,
      name,
      kind: 'histogram',
      record: (v: number, tags: MetricTags = {}) => void seen.push([name, v, tags]),
    }),
    createGauge: () => {
      throw new Error('unused');
    },
    withTags: () => meter,
  } as MetricMeter;
  return { meter, seen };
}

describe('worker metrics and log configuration', () => {
  it('has no metrics endpoint by default and JSON logs at INFO', () => {
    const c = loadWorkerConfig(env());
    expect(c.WORKER_METRICS_ADDRESS).toBeUndefined();
    expect(c.LOG_FORMAT).toBe('json');
    expect(c.LOG_LEVEL).toBe('INFO');
    expect(runtimeOptions(c).telemetryOptions?.metrics).toBeUndefined();
  });

  it('binds Prometheus on WORKER_METRICS_ADDRESS', () => {
    const c = loadWorkerConfig(
      env({ WORKER_METRICS_ADDRESS: '127.0.0.1:9464', LOG_FORMAT: 'PRETTY', LOG_LEVEL: 'warn' }),
    );
    expect(c).toMatchObject({
      WORKER_METRICS_ADDRESS: '127.0.0.1:9464',
      LOG_FORMAT: 'pretty',
      LOG_LEVEL: 'WARN',
    });
    expect(runtimeOptions(c).telemetryOptions?.metrics).toEqual({
      prometheus: { bindAddress: '127.0.0.1:9464' },
    });
  });

  it.each(['127.0.0.1:0', '9464', 'localhost', '127.0.0.1:70000', ':9464'])('refuses %s', (addr) => {
    expect(metricsAddressProblem(addr)).toBeDefined();
    expect(() => loadWorkerConfig(env({ WORKER_METRICS_ADDRESS: addr }))).toThrow(/WORKER_METRICS_ADDRESS/);
  });

  it.each(['0.0.0.0:9464', '[::1]:9464', 'metrics.local:1'])('accepts %s', (addr) => {
    expect(metricsAddressProblem(addr)).toBeUndefined();
  });

  it('refuses an unknown LOG_FORMAT', () => {
    expect(() => loadWorkerConfig(env({ LOG_FORMAT: 'xml' }))).toThrow(/LOG_FORMAT/);
  });
});

describe('JSON log lines', () => {
  it('writes level, timestamp, message and the meta, without the task token', () => {
    const line = formatJsonLine({
      level: 'WARN',
      message: 'agora stop failed',
      timestampNanos: 1_700_000_000_123_000_000n,
      meta: {
        workflowId: 'capture/a/1',
        taskToken: 'c2VjcmV0',
        attempt: 2,
        big: 5n,
        error: new TypeError('boom'),
      },
    });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.trim().includes('\n')).toBe(false);
    const o = JSON.parse(line) as Record<string, unknown>;
    expect(o).toMatchObject({
      timestamp: '2023-11-14T22:13:20.123Z',
      level: 'WARN',
      message: 'agora stop failed',
      workflowId: 'capture/a/1',
      attempt: 2,
      big: '5',
      error: { name: 'TypeError', message: 'boom' },
    });
    expect(o).not.toHaveProperty('taskToken');
  });

  it('survives circular meta', () => {
    const meta: Record<string, unknown> = {};
    meta.self = meta;
    expect(
      JSON.parse(formatJsonLine({ level: 'INFO', message: 'm', timestampNanos: 0n, meta })),
    ).toMatchObject({
      message: 'm',
    });
  });
});

describe('metered Agora calls', () => {
  it('counts and times a success, and returns the answer', async () => {
    const { meter, seen } = recordingMeter();
    const act = new MockActivityEnvironment({}, { metricMeter: meter });
    const res: AgoraResult<{ resourceId: string }> = await act.run(() =>
      meteredCall('acquire', { channel: 'c' }, async () => ({
        body: { resourceId: 'r' },
        status: 200,
        requestId: 'x-1',
      })),
    );
    expect(res.body.resourceId).toBe('r');
    expect(seen).toContainEqual([
      AGORA_CALLS,
      1,
      expect.objectContaining({ endpoint: 'acquire', outcome: 'success' }),
    ]);
    expect(seen.some(([n, , t]) => n === AGORA_CALL_DURATION && t.outcome === 'success')).toBe(true);
  });

  it('labels a failure with its AgoraError type and rethrows it unchanged', async () => {
    const { meter, seen } = recordingMeter();
    const act = new MockActivityEnvironment({}, { metricMeter: meter });
    const err = new AgoraError({
      type: 'AgoraNotFound',
      endpoint: 'stop',
      message: 'Agora stop failed: HTTP 404',
      outcomeUnknown: false,
      httpStatus: 404,
      requestId: 'x-2',
    });
    await expect(
      act.run(() =>
        meteredCall('stop', { sid: 's' }, async () => {
          throw err;
        }),
      ),
    ).rejects.toBe(err);
    expect(seen).toContainEqual([
      AGORA_CALLS,
      1,
      expect.objectContaining({ endpoint: 'stop', outcome: 'AgoraNotFound' }),
    ]);
  });

  it('names anything else UnexpectedError, and works outside an activity', async () => {
    expect(outcomeOf(new Error('x'))).toBe('UnexpectedError');
    await expect(
      meteredCall('query', {}, async () => {
        throw new Error('aborted');
      }),
    ).rejects.toThrow('aborted');
  });
});
