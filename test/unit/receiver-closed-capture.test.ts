/** A callback whose sid only a closed capture used goes to the sweeper, not to "unknown". */
import { describe, expect, it } from 'vitest';
import { deliverSignal } from '../../client/receiver/resolve-capture';
import { SidCache } from '../../client/receiver/sid-cache';
import {
  ALIVE_AFTER_CLOSE_MARGIN_MS,
  closedSidQuery,
  mayHaveLeft,
  type TemporalPort,
} from '../../client/receiver/temporal-port';

const abort = new AbortController().signal;
const req = {
  target: { cname: 'room', uid: '1', sid: 'sid-1' },
  signal: 'agoraEvent' as const,
  arg: { noticeId: 'n-1', eventType: 45, cname: 'room', uid: '1', sid: 'sid-1', eventMs: 0, details: {} },
};

function port(closedBySid: Record<string, string>): TemporalPort & { swept: string[] } {
  const swept: string[] = [];
  return {
    swept,
    signal: async () => false,
    findRunningBySid: async () => undefined,
    reapClosedBySid: async (sid) => {
      const id = closedBySid[sid];
      if (id) swept.push(sid);
      return id;
    },
    ping: async () => {},
  };
}

describe('a callback of a closed capture', () => {
  it('starts a sweep of that capture and says so', async () => {
    const p = port({ 'sid-1': 'sweep/closed/capture/room/1/run-1' });
    expect(await deliverSignal(p, new SidCache(), req, abort)).toEqual({
      outcome: 'closed-capture',
      sweepWorkflowId: 'sweep/closed/capture/room/1/run-1',
    });
    expect(p.swept).toEqual(['sid-1']);
  });

  it('is still unknown when no closed capture used the sid', async () => {
    expect(await deliverSignal(port({}), new SidCache(), req, abort)).toEqual({ outcome: 'unknown-capture' });
  });

  it("is not swept when the event is Agora's own session exit (11)", async () => {
    const p = port({ 'sid-1': 'sweep/closed/capture/room/1/run-1' });
    const exit = { ...req, arg: { eventType: 11, sid: 'sid-1' } };
    expect(await deliverSignal(p, new SidCache(), exit as never, abort)).toEqual({
      outcome: 'unknown-capture',
    });
    expect(p.swept).toEqual([]);
  });

  it('is found by CaptureSids among closed runs that may have left it running', () => {
    expect(closedSidQuery("s'1")).toBe(
      "CaptureSids = 's\\'1' AND ExecutionStatus != 'Running' AND ExecutionStatus != 'ContinuedAsNew' AND (ExecutionStatus != 'Completed' OR CaptureOpenSessions IS NOT NULL)",
    );
    expect(closedSidQuery('s1', true)).toBe(
      "CaptureSids = 's1' AND ExecutionStatus != 'Running' AND ExecutionStatus != 'ContinuedAsNew'",
    );
  });

  it('passes when the callback shows the bot at work: failover, video state, a screenshot and its time', async () => {
    const seen: (number | undefined)[] = [];
    const p: TemporalPort = {
      ...port({}),
      reapClosedBySid: async (_sid, _abort, aliveAtMs) => void seen.push(aliveAtMs),
    };
    const shot = { uid: '1001', capturedAtMs: 5_000 };
    for (const arg of [
      { ...req.arg, eventType: 12, eventMs: 1_000 },
      { ...req.arg, eventType: 44, eventMs: 2_000 },
      { ...req.arg, eventType: 45, eventMs: 9_000, details: { screenshot: shot } },
      { ...req.arg, eventType: 1, eventMs: 3_000 },
    ])
      await deliverSignal(p, new SidCache(), { ...req, arg }, abort);
    expect(seen).toEqual([1_000, 2_000, 5_000, undefined]);
  });
});

describe('whether a closed run may have left a session running', () => {
  const completed = { status: 'COMPLETED', closeTimeMs: 100_000, openSessions: 0 };
  it('yes when it did not complete, or completed with a session still listed', () => {
    expect(mayHaveLeft({ ...completed, status: 'TERMINATED' }, undefined)).toBe(true);
    expect(mayHaveLeft({ ...completed, openSessions: 1 }, undefined)).toBe(true);
  });
  it('no for a clean completion, unless the callback shows the bot at work after the close', () => {
    expect(mayHaveLeft(completed, undefined)).toBe(false);
    expect(mayHaveLeft(completed, 99_000)).toBe(false); // a file taken before the stop, uploaded late
    expect(mayHaveLeft(completed, 100_000 + ALIVE_AFTER_CLOSE_MARGIN_MS)).toBe(false);
    expect(mayHaveLeft(completed, 100_001 + ALIVE_AFTER_CLOSE_MARGIN_MS)).toBe(true);
  });
});
