import { describe, expect, it } from 'vitest';
import { SignalBatcher } from '../../client/receiver/signal-batcher';
import type { CaptureEvent } from '../../workflows/messages';

const event = (n: number) =>
  ({
    noticeId: `n${n}`,
    eventType: 45,
    cname: 'c',
    uid: '1',
    sid: 's',
    sequence: n,
    eventMs: n,
    details: {},
  }) as CaptureEvent;

/** A send whose completion the test controls. */
function gate() {
  const calls: { id: string; events: CaptureEvent[]; finish: (v: boolean | Error) => void }[] = [];
  const send = (id: string, events: CaptureEvent[]) =>
    new Promise<boolean>((resolve, reject) =>
      calls.push({ id, events, finish: (v) => (v instanceof Error ? reject(v) : resolve(v)) }),
    );
  return { calls, send };
}

describe('group commit of agoraEvent signals', () => {
  it('sends the first event at once and everything that queued meanwhile in one next signal', async () => {
    const g = gate();
    const b = new SignalBatcher(g.send, 1000);
    const never = new AbortController().signal;
    const first = b.signal('wf', event(0), never);
    const rest = [1, 2, 3].map((n) => b.signal('wf', event(n), never));
    expect(g.calls.map((c) => c.events.length)).toEqual([1]);
    g.calls[0]!.finish(true);
    await expect(first).resolves.toBe(true);
    await new Promise((r) => setImmediate(r));
    expect(g.calls.map((c) => c.events.map((e) => e.sequence))).toEqual([[0], [1, 2, 3]]);
    g.calls[1]!.finish(true);
    await expect(Promise.all(rest)).resolves.toEqual([true, true, true]);
  });

  it('tells of each signal it sends with the number of events that signal carried', async () => {
    const g = gate();
    const sent: number[] = [];
    const b = new SignalBatcher(g.send, 1000, (n) => sent.push(n));
    const never = new AbortController().signal;
    const all = [0, 1, 2, 3].map((n) => b.signal('wf', event(n), never));
    g.calls[0]!.finish(true);
    await new Promise((r) => setImmediate(r));
    g.calls[1]!.finish(true);
    await Promise.all(all);
    expect(sent).toEqual([1, 3]);
  });

  it('keeps captures independent', () => {
    const g = gate();
    const b = new SignalBatcher(g.send, 1000);
    const never = new AbortController().signal;
    void b.signal('a', event(0), never);
    void b.signal('b', event(0), never);
    expect(g.calls.map((c) => c.id)).toEqual(['a', 'b']);
  });

  it('fails every event of a batch whose signal failed, so each callback gets its 503', async () => {
    const g = gate();
    const b = new SignalBatcher(g.send, 1000);
    const p = b.signal('wf', event(0), new AbortController().signal);
    g.calls[0]!.finish(new Error('unavailable'));
    await expect(p).rejects.toThrow('unavailable');
  });

  it('withdraws a queued event whose callback gave up before it was sent', async () => {
    const g = gate();
    const b = new SignalBatcher(g.send, 1000);
    const never = new AbortController().signal;
    void b.signal('wf', event(0), never);
    const ac = new AbortController();
    const withdrawn = b.signal('wf', event(1), ac.signal);
    ac.abort(new Error('deadline'));
    await expect(withdrawn).rejects.toThrow('deadline');
    void b.signal('wf', event(2), never);
    g.calls[0]!.finish(true);
    await new Promise((r) => setImmediate(r));
    expect(g.calls[1]!.events.map((e) => e.sequence)).toEqual([2]);
  });
});
