import type { CaptureEvent } from '../../workflows/messages';
import { describe, expect, it } from 'vitest';
import { deliverSignal } from '../../client/receiver/resolve-capture';
import { SidCache } from '../../client/receiver/sid-cache';
import { sidQuery, type TemporalPort } from '../../client/receiver/temporal-port';
import { TimeoutError, withTimeout } from '../../client/receiver/with-timeout';

/** A Temporal stand-in: the running workflow ids and what visibility returns per sid. */
function fakePort(running: string[], bySid: Record<string, string> = {}) {
  const calls: string[] = [];
  const port: TemporalPort = {
    signal: async (id) => {
      calls.push(`signal ${id}`);
      return running.includes(id);
    },
    findRunningBySid: async (sid) => {
      calls.push(`search ${sid}`);
      return bySid[sid];
    },
    ping: async () => {},
  };
  return { port, calls };
}

const req = (uid: string, sid = 'sid-1') => ({
  target: { cname: 'room', uid, sid },
  signal: 'agoraEvent' as const,
  arg: {} as CaptureEvent,
});
const abort = new AbortController().signal;

describe('deliverSignal', () => {
  it('signals capture/<cname>/<uid> and learns the sid', async () => {
    const { port, calls } = fakePort(['capture/room/1']);
    const cache = new SidCache();
    expect(await deliverSignal(port, cache, req('1'), abort)).toEqual({
      outcome: 'signalled',
      workflowId: 'capture/room/1',
      via: 'workflow-id',
    });
    expect(cache.get('sid-1')).toBe('capture/room/1');
    expect(calls).toEqual(['signal capture/room/1']);
  });

  it('after a failover (new uid) finds the capture by the cached sid, without a search', async () => {
    const { port, calls } = fakePort(['capture/room/1']);
    const cache = new SidCache();
    cache.set('sid-1', 'capture/room/1');
    expect(await deliverSignal(port, cache, req('999'), abort)).toMatchObject({
      workflowId: 'capture/room/1',
      via: 'sid-cache',
    });
    expect(calls).toEqual(['signal capture/room/999', 'signal capture/room/1']);
  });

  it('falls back to the visibility search and caches its answer', async () => {
    const { port } = fakePort(['capture/room/1'], { 'sid-1': 'capture/room/1' });
    const cache = new SidCache();
    expect(await deliverSignal(port, cache, req('999'), abort)).toMatchObject({ via: 'sid-search' });
    expect(cache.get('sid-1')).toBe('capture/room/1');
  });

  it('forgets a cached sid whose workflow has closed, and reports an unknown capture', async () => {
    const { port } = fakePort([]);
    const cache = new SidCache();
    cache.set('sid-1', 'capture/room/1');
    expect(await deliverSignal(port, cache, req('1'), abort)).toEqual({ outcome: 'unknown-capture' });
    expect(cache.get('sid-1')).toBeUndefined();
  });

  it('lets errors other than not-found through (the server answers 503)', async () => {
    const port: TemporalPort = {
      signal: () => Promise.reject(new Error('UNAVAILABLE')),
      findRunningBySid: async () => undefined,
      ping: async () => {},
    };
    await expect(deliverSignal(port, new SidCache(), req('1'), abort)).rejects.toThrow('UNAVAILABLE');
  });
});

describe('SidCache', () => {
  it('evicts the least recently used entry', () => {
    const c = new SidCache(2);
    c.set('a', '1');
    c.set('b', '2');
    c.get('a');
    c.set('c', '3');
    expect([c.get('a'), c.get('b'), c.get('c'), c.size]).toEqual(['1', undefined, '3', 2]);
  });
});

describe('sidQuery', () => {
  it('escapes quotes and backslashes', () => {
    expect(sidQuery(`a'b\\c`)).toBe(`CaptureSids = 'a\\'b\\\\c' AND ExecutionStatus = 'Running'`);
  });
});

describe('withTimeout', () => {
  it('rejects on time even when the work ignores its signal', async () => {
    const started = Date.now();
    await expect(withTimeout(50, () => new Promise(() => {}))).rejects.toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('aborts the signal it hands out', async () => {
    let seen: AbortSignal | undefined;
    await withTimeout(20, (s) => ((seen = s), new Promise(() => {}))).catch(() => {});
    expect(seen?.aborted).toBe(true);
  });
});
