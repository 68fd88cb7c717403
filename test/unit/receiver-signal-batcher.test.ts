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

/** One turn of the event loop: what the batcher waits before a capture's first send. */
const turn = () => new Promise((r) => setImmediate(r));

describe('group commit of agoraEvent signals', () => {
  it("sends a turn's events of a capture in one signal, and everything that queued meanwhile in one next signal", async () => {
    const g = gate();
    const b = new SignalBatcher(g.send, 1000);
    const never = new AbortController().signal;
    // A tick's burst: Agora reports each uid's screenshot at once.
    const burst = [0, 1].map((n) => b.signal('wf', event(n), never));
    expect(g.calls).toEqual([]);
    await turn();
    expect(g.calls.map((c) => c.events.map((e) => e.sequence))).toEqual([[0, 1]]);
    const rest = [2, 3, 4].map((n) => b.signal('wf', event(n), never));
    g.calls[0]!.finish(true);
    await expect(Promise.all(burst)).resolves.toEqual([true, true]);
    await turn();
    expect(g.calls.map((c) => c.events.map((e) => e.sequence))).toEqual([
      [0, 1],
      [2, 3, 4],
    ]);
    g.calls[1]!.finish(true);
    await expect(Promise.all(rest)).resolves.toEqual([true, true, true]);
  });

  it('tells of each signal it sends with the number of events that signal carried', async () => {
    const g = gate();
    const sent: number[] = [];
    const b = new SignalBatcher(g.send, 1000, (n) => sent.push(n));
    const never = new AbortController().signal;
    const first = b.signal('wf', event(0), never);
    await turn();
    const rest = [1, 2, 3].map((n) => b.signal('wf', event(n), never));
    g.calls[0]!.finish(true);
    await turn();
    g.calls[1]!.finish(true);
    await Promise.all([first, ...rest]);
    expect(sent).toEqual([1, 3]);
  });

  it('keeps captures independent', async () => {
    const g = gate();
    const b = new SignalBatcher(g.send, 1000);
    const never = new AbortController().signal;
    void b.signal('a', event(0), never);
    void b.signal('b', event(0), never);
    await turn();
    expect(g.calls.map((c) => c.id)).toEqual(['a', 'b']);
  });

  it('fails every event of a batch whose signal failed, so each callback gets its 503', async () => {
    const g = gate();
    const b = new SignalBatcher(g.send, 1000);
    const never = new AbortController().signal;
    const both = [0, 1].map((n) => b.signal('wf', event(n), never));
    await turn();
    g.calls[0]!.finish(new Error('unavailable'));
    for (const p of both) await expect(p).rejects.toThrow('unavailable');
  });

  it('withdraws a queued event whose callback gave up before it was sent', async () => {
    const g = gate();
    const b = new SignalBatcher(g.send, 1000);
    const never = new AbortController().signal;
    void b.signal('wf', event(0), never);
    await turn();
    const ac = new AbortController();
    const withdrawn = b.signal('wf', event(1), ac.signal);
    ac.abort(new Error('deadline'));
    await expect(withdrawn).rejects.toThrow('deadline');
    void b.signal('wf', event(2), never);
    g.calls[0]!.finish(true);
    await turn();
    expect(g.calls[1]!.events.map((e) => e.sequence)).toEqual([2]);
  });

  it('sends nothing for a first event withdrawn within its turn', async () => {
    const g = gate();
    const b = new SignalBatcher(g.send, 1000);
    const ac = new AbortController();
    const withdrawn = b.signal('wf', event(0), ac.signal);
    ac.abort(new Error('deadline'));
    await expect(withdrawn).rejects.toThrow('deadline');
    await turn();
    expect(g.calls).toEqual([]);
    // The capture is free again: the next event goes out.
    void b.signal('wf', event(1), new AbortController().signal);
    await turn();
    expect(g.calls.map((c) => c.events.map((e) => e.sequence))).toEqual([[1]]);
  });
});
