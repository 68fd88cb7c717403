/** A callback whose sid only a closed capture used goes to the sweeper, not to "unknown". */
import { describe, expect, it } from 'vitest';
import { deliverSignal } from '../../client/receiver/resolve-capture';
import { SidCache } from '../../client/receiver/sid-cache';
import { closedSidQuery, type TemporalPort } from '../../client/receiver/temporal-port';

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
      "CaptureSids = 's\\'1' AND ExecutionStatus != 'Running' AND (ExecutionStatus != 'Completed' OR CaptureOpenSessions IS NOT NULL)",
    );
  });
});
