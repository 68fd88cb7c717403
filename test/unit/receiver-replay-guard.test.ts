import { describe, expect, it } from 'vitest';
import { describeMs, ReplayGuard } from '../../client/receiver/replay-guard';

const HOUR = 3_600_000;
const guard = (over: { maxEntries?: number } = {}) => {
  const clock = { now: Date.UTC(2026, 10, 29, 12) };
  const g = new ReplayGuard({
    windowMs: HOUR,
    futureSkewMs: 5 * 60_000,
    maxEntries: over.maxEntries ?? 1000,
    now: () => clock.now,
  });
  return { g, clock };
};

describe('replay guard', () => {
  it('accepts a notice sent now, once; its copy is a duplicate', () => {
    const { g, clock } = guard();
    expect(g.check('n1', clock.now)).toEqual({ kind: 'fresh' });
    g.remember('n1', clock.now);
    expect(g.check('n1', clock.now)).toEqual({ kind: 'duplicate' });
  });

  it('treats a resend (same noticeId, later notifyMs) as a duplicate', () => {
    const { g, clock } = guard();
    g.remember('n1', clock.now);
    clock.now += 30_000;
    expect(g.check('n1', clock.now)).toEqual({ kind: 'duplicate' });
  });

  it('refuses a notifyMs older than the window as stale, with its age', () => {
    const { g, clock } = guard();
    expect(g.check('n1', clock.now - HOUR - 1)).toEqual({ kind: 'stale', ageMs: HOUR + 1 });
    expect(g.check('n2', clock.now - HOUR)).toEqual({ kind: 'fresh' });
  });

  it('refuses a notifyMs beyond the skew ahead of the clock as future', () => {
    const { g, clock } = guard();
    expect(g.check('n1', clock.now + 5 * 60_000 + 1)).toEqual({ kind: 'future', aheadMs: 300_001 });
    expect(g.check('n2', clock.now + 5 * 60_000)).toEqual({ kind: 'fresh' });
  });

  it('judges a replay after the window stale, not duplicate, and has forgotten it by then', () => {
    const { g, clock } = guard();
    const sent = clock.now;
    g.remember('n1', sent);
    clock.now += HOUR + 1;
    expect(g.check('n1', sent)).toMatchObject({ kind: 'stale' });
    expect(g.size).toBe(0);
  });

  it('stays within its cap under a flood of distinct noticeIds, counting those forgotten early', () => {
    const { g, clock } = guard({ maxEntries: 1000 });
    for (let i = 0; i < 50_000; i++) {
      g.remember(`flood-${i}`, clock.now);
      if (i % 100 === 0) clock.now += 1;
    }
    expect(g.size).toBe(1000);
    expect(g.evictedEarly).toBe(49_000);
    // The most recent are the ones remembered.
    expect(g.check('flood-49999', clock.now)).toEqual({ kind: 'duplicate' });
    expect(g.check('flood-0', clock.now)).toEqual({ kind: 'fresh' });
  });

  it('forgets by age as time passes, without a cap being reached', () => {
    const { g, clock } = guard({ maxEntries: 1_000_000 });
    for (let minute = 0; minute < 180; minute++) {
      for (let i = 0; i < 100; i++) g.remember(`m${minute}-${i}`, clock.now);
      clock.now += 60_000;
    }
    // Only the last hour's notices (60 minutes × 100) can still be replayed fresh.
    expect(g.size).toBeLessThanOrEqual(61 * 100);
    expect(g.evictedEarly).toBe(0);
  });
});

describe('describeMs', () => {
  it.each([
    [800, '800 ms'],
    [20_000, '20 s'],
    [200_000, '3 min 20 s'],
    [HOUR, '1 h'],
    [2 * HOUR + 5 * 60_000 + 9000, '2 h 5 min'],
  ])('%i ms reads "%s"', (ms, text) => {
    expect(describeMs(ms)).toBe(text);
  });
});
