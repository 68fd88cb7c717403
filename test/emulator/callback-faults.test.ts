/**
 * Injected callback faults: duplication, reordering and loss, reproducible with a seed, and
 * the same over the admin API.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AgoraEmulator } from '../../emulator';
import type { Api } from './helpers';
import { Receiver, simForTest, until } from './sim-helpers';

const opened: Array<{ emu: AgoraEmulator; receiver: Receiver }> = [];
afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.emu.close();
    await o.receiver.close();
  }
});
async function setup() {
  const t = await simForTest();
  opened.push(t);
  return t;
}

/** Starts a session, then sends `n` warnings (event 2) so the event stream is the same every run. */
async function burst(emu: AgoraEmulator, api: Api, n: number): Promise<string> {
  const { sid } = await api.startSession();
  for (let i = 0; i < n; i++) emu.notify(sid, 2, { module: 1, warnCode: 31 });
  return sid;
}

const settled = (emu: AgoraEmulator, n: number) => () =>
  emu.callbacks().length >= n && emu.callbacks().every((c) => c.delivered || c.dropped);

describe('callback faults', () => {
  it('duplicateRate 1 sends every notification twice with the same noticeId', async () => {
    const { emu, api, receiver } = await setup();
    emu.callbackFaults({ duplicateRate: 1, seed: 1 });
    await burst(emu, api, 3);
    await until('8 deliveries', () => receiver.delivered().length === 8);
    const bySeq = new Map<number, string[]>();
    for (const b of receiver.delivered())
      bySeq.set(b.payload.sequence, [...(bySeq.get(b.payload.sequence) ?? []), b.noticeId]);
    expect([...bySeq.keys()].sort()).toEqual([0, 1, 2, 3]);
    for (const ids of bySeq.values()) expect(ids).toEqual([ids[0], ids[0]]);
    expect(emu.callbacks().filter((c) => c.duplicate)).toHaveLength(4);
  });

  it("duplicateNoticeId 'fresh' gives the copy its own noticeId (same sid, eventType, sequence)", async () => {
    const { emu, api, receiver } = await setup();
    emu.callbackFaults({ duplicateRate: 1, duplicateNoticeId: 'fresh', seed: 1 });
    await burst(emu, api, 0);
    await until('2 deliveries', () => receiver.delivered().length === 2);
    const [a, b] = receiver.delivered();
    expect(a?.noticeId).not.toBe(b?.noticeId);
    expect(a?.payload).toEqual(b?.payload);
  });

  it('reorderWindowMs shuffles arrival order; everything still arrives once', async () => {
    const { emu, api, receiver } = await setup();
    emu.callbackFaults({ reorderWindowMs: 300, seed: 42 });
    await burst(emu, api, 15);
    await until('16 deliveries', () => receiver.delivered().length === 16);
    const arrival = receiver.delivered().map((b) => b.payload.sequence);
    expect([...arrival].sort((x, y) => x - y)).toEqual([...Array(16).keys()]);
    expect(arrival).not.toEqual([...Array(16).keys()]);
  });

  it('lossRate drops some notifications (recorded, never sent), reproducibly with a seed', async () => {
    const dropped: number[][] = [];
    for (let run = 0; run < 2; run++) {
      const { emu, api, receiver } = await setup();
      expect(emu.callbackFaults({ lossRate: 0.5, seed: 7 })).toMatchObject({ lossRate: 0.5, seed: 7 });
      await burst(emu, api, 19);
      await until('all settled', settled(emu, 20));
      const lost = emu.callbacks().filter((c) => c.dropped === 'loss');
      expect(lost.length).toBeGreaterThan(2);
      expect(lost.length).toBeLessThan(18);
      for (const c of lost) expect(c).toMatchObject({ attempts: [], delivered: false });
      const sent = new Set(receiver.got.map((g) => g.body.noticeId));
      expect(lost.filter((c) => sent.has(c.noticeId))).toEqual([]);
      expect(receiver.delivered()).toHaveLength(20 - lost.length);
      dropped.push(lost.map((c) => c.sequence));
    }
    expect(dropped[1]).toEqual(dropped[0]);
  });

  it('lossEventTypes limits the loss to those event types', async () => {
    const { emu, api, receiver } = await setup();
    emu.callbackFaults({ lossRate: 1, lossEventTypes: [2], seed: 1 });
    await burst(emu, api, 5);
    await until('all settled', settled(emu, 6));
    expect(
      emu
        .callbacks()
        .filter((c) => c.dropped === 'loss')
        .map((c) => c.eventType),
    ).toEqual([2, 2, 2, 2, 2]);
    expect(receiver.delivered().map((b) => b.eventType)).toEqual([40]);
  });

  it('can be set over the admin API; unknown fields are refused', async () => {
    const { emu, api } = await setup();
    const admin = (body: unknown) => api.send('POST', '/__emulator/callbacks/faults', body, { auth: null });
    const ok = await admin({ lossRate: 1, seed: 3 });
    expect(ok).toMatchObject({
      status: 200,
      body: { lossRate: 1, seed: 3, duplicateRate: 0, reorderWindowMs: 0 },
    });
    await burst(emu, api, 0);
    expect(emu.callbacks()).toEqual([expect.objectContaining({ eventType: 40, dropped: 'loss' })]);
    expect((await admin({ lossrate: 1 })).status).toBe(400);
    expect((await admin({ lossRate: 2 })).status).toBe(400);
    const list = await api.send('GET', '/__emulator/callbacks', undefined, { auth: null });
    expect(list.body).toEqual(emu.callbacks());
  });
});
