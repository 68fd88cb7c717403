import { describe, expect, it } from 'vitest';
import { admit, nextGapDeadline, type OrderState, releaseExpiredGaps } from '../../workflows/event-order';
import { EventScript, shuffledWithDuplicates } from '../helpers/capture-events';

const fresh = (): OrderState => ({ streams: {}, recentNoticeIds: [], recentFiles: [] });
const counters = () => ({ duplicates: 0, late: 0, lost: 0 });
const seqs = (es: { sequence?: number }[]) => es.map((e) => e.sequence);

describe('callback ordering per sid', () => {
  /** Video-state changes (44): the one event whose effect depends on order. */
  const script = () => {
    const s = new EventScript();
    for (let i = 0; i < 20; i++) s.video('1001', i % 2 === 0, i * 5);
    return s.events;
  };
  const shots = () => {
    const s = new EventScript();
    for (let i = 0; i < 20; i++) s.shot('1001', i * 5);
    return s.events;
  };

  it('delivers in-order events at once', () => {
    const o = fresh();
    const out = script().flatMap((e) => admit(o, e, 0, counters(), '527841'));
    expect(seqs(out)).toEqual([...Array(20).keys()]);
  });

  it.each([1, 2, 3, 4, 5])(
    'delivers a shuffled, duplicated delivery exactly once and in order (seed %i)',
    (seed) => {
      const o = fresh();
      const c = counters();
      const out = shuffledWithDuplicates(script(), seed).flatMap((e) => admit(o, e, 0, c, '527841'));
      expect(seqs(out)).toEqual([...Array(20).keys()]);
      expect(c.lost).toBe(0);
    },
  );

  it('drops a resend with the same noticeId and a copy with the same sequence', () => {
    const o = fresh();
    const c = counters();
    const [e0] = script();
    admit(o, e0!, 0, c, '527841');
    expect(admit(o, e0!, 0, c, '527841')).toEqual([]);
    expect(admit(o, { ...e0!, noticeId: 'other-id' }, 0, c, '527841')).toEqual([]);
    expect(c.duplicates).toBe(2);
  });

  it('holds events behind a gap only until the gap is gapMs old, then counts the missing as lost', () => {
    const o = fresh();
    const c = counters();
    const events = script();
    expect(admit(o, events[0]!, 0, c, '527841')).toHaveLength(1);
    expect(admit(o, events[2]!, 1000, c, '527841')).toEqual([]); // 1 is missing
    expect(admit(o, events[3]!, 2000, c, '527841')).toEqual([]);
    expect(nextGapDeadline(o, 5000)).toBe(6000);
    expect(releaseExpiredGaps(o, 5999, 5000, c)).toEqual([]);
    expect(seqs(releaseExpiredGaps(o, 6000, 5000, c))).toEqual([2, 3]);
    expect(c.lost).toBe(1);
    expect(nextGapDeadline(o, 5000)).toBeUndefined();
    // The straggler arrives after we gave up on it: late, no longer lost, and applied all the same.
    expect(seqs(admit(o, events[1]!, 7000, c, '527841'))).toEqual([1]);
    expect(c).toMatchObject({ late: 1, duplicates: 0, lost: 0 });
  });

  it('applies events whose effect does not depend on order (screenshot files) on arrival, gap or not', () => {
    const o = fresh();
    const c = counters();
    const events = shots();
    expect(seqs(admit(o, events[0]!, 0, c, '527841'))).toEqual([0]);
    expect(seqs(admit(o, events[2]!, 1000, c, '527841'))).toEqual([2]); // 1 is missing: 2 applies anyway
    expect(releaseExpiredGaps(o, 6000, 5000, c)).toEqual([]); // nothing was held back
    expect(c.lost).toBe(1);
    expect(seqs(admit(o, events[1]!, 7000, c, '527841'))).toEqual([1]); // late, applied
    expect(c).toMatchObject({ late: 1, lost: 0, duplicates: 0 });
    expect(admit(o, { ...events[1]!, noticeId: 'copy' }, 8000, c, '527841')).toEqual([]); // now a duplicate
    expect(c.duplicates).toBe(1);
  });

  it('applies every file of a shuffled, duplicated delivery exactly once, however late', () => {
    const o = fresh();
    const c = counters();
    const out = shuffledWithDuplicates(shots(), 3).flatMap((e, i) => [
      ...admit(o, e, i * 10_000, c, '527841'),
      ...releaseExpiredGaps(o, i * 10_000, 5000, c),
    ]);
    expect(new Set(seqs(out)).size).toBe(20);
    expect(out).toHaveLength(20);
  });

  it('orders each bot uid separately, so a failover session restarting its counter is not dropped', () => {
    const o = fresh();
    const a = new EventScript('room42', '527841').shot('1001', 0).shot('1001', 5).events;
    const b = new EventScript('room42', '99999').shot('1001', 10).events; // sequence 0 again, new uid
    const out = [...a, ...b].flatMap((e) => admit(o, e, 0, counters(), '527841'));
    expect(out).toHaveLength(3);
  });

  it('keeps its memory bounded however many events pass', () => {
    const o = fresh();
    const s = new EventScript();
    for (let i = 0; i < 5000; i++) s.shot('1001', i);
    for (const e of s.events) admit(o, e, 0, counters(), '527841');
    expect(o.recentNoticeIds.length).toBeLessThanOrEqual(512);
    expect(JSON.stringify(o).length).toBeLessThan(64_000);
  });
});
