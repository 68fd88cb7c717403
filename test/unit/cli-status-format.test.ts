import { describe, expect, it } from 'vitest';
import type { ExecutionInfo } from '../../client/cli/execution';
import { endedSentence } from '../../client/cli/execution';
import { statusHeader } from '../../client/cli/format';

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
