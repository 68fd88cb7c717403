import { describe, expect, it } from 'vitest';
import type { ExecutionInfo } from '../../client/cli/execution';
import { endedSentence } from '../../client/cli/execution';
import { formatStatus, statusHeader } from '../../client/cli/format';
import { toStatus } from '../../workflows/report';
import { initialState } from '../../workflows/state';

const exec = (over: Partial<ExecutionInfo>): ExecutionInfo => ({
  status: 'RUNNING',
  runId: 'r',
  startTime: '2026-11-29T11:00:00.000Z',
  ...over,
});

describe('status header: the phase never reads as live after the workflow closed abnormally', () => {
  it('shows the phase first while the workflow runs', () => {
    expect(statusHeader('capture/a/1', 'CAPTURING', exec({}))).toBe(
      'capture/a/1  CAPTURING  (workflow RUNNING)',
    );
  });

  it('shows the phase of a completed capture with COMPLETED beside it', () => {
    expect(statusHeader('capture/a/1', 'STOPPED', exec({ status: 'COMPLETED' }))).toBe(
      'capture/a/1  STOPPED  (workflow COMPLETED)',
    );
  });

  it.each(['TERMINATED', 'TIMED_OUT', 'FAILED', 'CANCELED'] as const)(
    'shows %s first and the phase as the last recorded one',
    (status) => {
      expect(statusHeader('capture/a/1', 'CAPTURING', exec({ status }))).toBe(
        `capture/a/1  ${status}  (last recorded phase CAPTURING)`,
      );
    },
  );
});

describe('ended sentence', () => {
  it('says when and how', () => {
    const x = exec({
      status: 'TERMINATED',
      closeTime: '2026-11-29T11:40:03.120Z',
      ended: 'terminated: cleanup',
    });
    expect(endedSentence('capture/a/1', x)).toBe(
      'capture/a/1 has already ended at 2026-11-29 11:40:03Z: TERMINATED, terminated: cleanup',
    );
  });
});

describe('status block of an ended capture', () => {
  const ended = () => {
    const s = initialState('capture/a/1');
    s.phase = 'STOPPED';
    s.endReason = 'stopped';
    s.stopRequested = 'enough';
    s.endedAtMs = Date.parse('2026-11-29T11:40:00.000Z');
    return toStatus(s, { channel: 'a', recorderUid: '1' }, undefined, s.endedAtMs);
  };

  it('gives the end reason once when the run completed (its own row, not also "how it ended")', () => {
    const text = formatStatus(
      ended(),
      Date.parse('2026-11-29T11:41:00.000Z'),
      exec({
        status: 'COMPLETED',
        closeTime: '2026-11-29T11:40:01.000Z',
        ended: 'end reason stopped (enough)',
      }),
    );
    expect(text).toMatch(/end reason\s+stopped \(enough\)/);
    expect(text).not.toContain('how it ended');
  });

  it('keeps "how it ended" when Temporal ended the run (terminated): the capture could not say', () => {
    const text = formatStatus(
      ended(),
      Date.parse('2026-11-29T11:41:00.000Z'),
      exec({ status: 'TERMINATED', closeTime: '2026-11-29T11:40:01.000Z', ended: 'terminated: cleanup' }),
    );
    expect(text).toMatch(/how it ended\s+terminated: cleanup/);
  });
});
