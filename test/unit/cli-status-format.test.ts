import { describe, expect, it } from 'vitest';
import type { ExecutionInfo } from '../../client/cli/execution';
import { endedSentence } from '../../client/cli/execution';
import {
  formatCaptureList,
  formatResult,
  formatStatus,
  printable,
  statusHeader,
} from '../../client/cli/format';
import { toResult, toStatus } from '../../workflows/report';
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

describe('status block of a run closed without ending itself (terminate, reset, a timeout)', () => {
  const live = () => {
    const s = initialState('capture/a/1');
    s.phase = 'CAPTURING';
    s.startedAtMs = Date.parse('2026-11-29T11:00:00.000Z');
    s.deadlineMs = Date.parse('2026-11-29T12:00:00.000Z');
    s.streams = { '1001': { video: 'receiving', since: '2026-11-29T11:00:05.000Z' } } as never;
    return toStatus(s, { channel: 'a', recorderUid: '1' }, undefined, s.startedAtMs);
  };
  const terminated = exec({
    status: 'TERMINATED',
    closeTime: '2026-11-29T11:10:00.000Z',
    ended: 'terminated: x',
  });
  const now = Date.parse('2026-11-29T11:20:00.000Z');

  it('shows no deadline and no video: they were its last live view, not the present', () => {
    const text = formatStatus(live(), now, terminated);
    expect(text).not.toMatch(/deadline/);
    expect(text).not.toMatch(/\n {2}video /);
    // The same state while running shows both.
    expect(formatStatus(live(), now, exec({}))).toMatch(/deadline[\s\S]*\n {2}video /);
  });

  it('calls the reason of a run terminated while it was stopping what it was doing, not how it ended', () => {
    const stopping = {
      ...live(),
      phase: 'STOPPING' as const,
      endReason: 'stopped' as const,
      stopReason: 'done',
    };
    const text = formatStatus(stopping, now, terminated);
    expect(text).toMatch(/\n {2}was ending\s+stopped \(done\)/);
    expect(text).not.toMatch(/end reason/);
    expect(text).toMatch(/how it ended\s+terminated: x/);
  });

  it('shows no video while operator-paused: no session receives any', () => {
    const paused = { ...live(), phase: 'PAUSED' as const, operatorPaused: true };
    expect(formatStatus(paused, now, exec({}))).not.toMatch(/\n {2}video /);
  });

  it('says where the sweep is with each session it left open', () => {
    const text = formatStatus(live(), now, terminated, [
      {
        session: 'rid:abcdef0123456789',
        sid: 'abcdef0123456789',
        reapWorkflowId: 'reap/1',
        state: 'done',
        outcome: 'stopped',
      },
      { session: 'rid2:', reapWorkflowId: 'reap/2', state: 'not-swept-yet' },
    ]);
    expect(text).toMatch(
      /left open\s+sid abcdef01…: stopped by the sweep \(reap\/1\); resource rid2:… \(sid never learned\): not swept yet/,
    );
  });
});

describe('text from outside the CLI', () => {
  it('has its control characters escaped: a reason cannot clear the screen or forge a line', () => {
    expect(printable('a\u001b[2Jb\nstop outcome  stopped\r\t\u009b')).toBe(
      'a\\x1b[2Jb\\nstop outcome  stopped\\r\\t\\x9b',
    );
    expect(printable('ok \u202edeppots')).toBe('ok \\u202edeppots');
  });

  it('is escaped in the status block, where a pause reason is shown', () => {
    const s = initialState('capture/a/1');
    s.phase = 'STOPPED';
    s.endReason = 'stopped';
    s.stopRequested = 'x\nstop outcome  stopped';
    s.endedAtMs = Date.parse('2026-11-29T11:40:00.000Z');
    const text = formatStatus(toStatus(s, { channel: 'a', recorderUid: '1' }, undefined, s.endedAtMs));
    expect(text).toContain('stopped (x\\nstop outcome  stopped)');
    expect(text.split('\n').filter((l) => l.includes('stop outcome'))).toHaveLength(1);
  });
});

describe('a stop that keeps failing', () => {
  it('is its own status row, with since when, beside the last error', () => {
    const s = initialState('capture/a/1');
    s.phase = 'STOPPING';
    s.stopFailingSinceMs = Date.parse('2026-11-29T11:00:00.000Z');
    s.lastError = {
      type: 'AgoraUnauthorized',
      message: 'Agora stop failed: HTTP 401',
      at: '2026-11-29T11:01:00.000Z',
    };
    const now = Date.parse('2026-11-29T11:02:00.000Z');
    const text = formatStatus(toStatus(s, { channel: 'a', recorderUid: '1' }, undefined, now), now);
    expect(text).toMatch(
      /\n {2}stop failing +since 2026-11-29 11:00:00Z \(2m ago\): an Agora session may bill and has not been stopped/,
    );
    expect(text).toMatch(/\n {2}last error +AgoraUnauthorized: Agora stop failed: HTTP 401/);
  });

  it('is no row once nothing fails', () => {
    const s = initialState('capture/a/1');
    s.phase = 'CAPTURING';
    expect(formatStatus(toStatus(s, { channel: 'a', recorderUid: '1' }, undefined, 0), 0)).not.toMatch(
      /stop failing/,
    );
  });
});

describe('list table', () => {
  const row = (status: ExecutionInfo['status'], phase: string) => ({
    workflowId: `capture/${status.toLowerCase()}/1`,
    runId: 'r',
    status,
    phase,
    channel: 'c',
    startTime: new Date('2026-11-29T11:00:00.000Z'),
  });

  it("marks a closed run's live phase as only the last one recorded", () => {
    const lines = formatCaptureList([
      row('RUNNING', 'CAPTURING'),
      row('TERMINATED', 'CAPTURING'),
      row('COMPLETED', 'STOPPED'),
    ]).split('\n');
    expect(lines[1]).toMatch(/RUNNING\s+CAPTURING\s+c/);
    expect(lines[2]).toMatch(/TERMINATED\s+CAPTURING \(last recorded\)\s+c/);
    expect(lines[3]).toMatch(/COMPLETED\s+STOPPED\s+c/);
  });
});

describe('result block', () => {
  it('calls the wall time "ran", with the operator pause in it named, not "captured"', () => {
    const s = initialState('capture/a/1');
    s.phase = 'STOPPED';
    s.endReason = 'stopped';
    s.startedAtMs = Date.parse('2026-11-29T11:00:00.000Z');
    s.endedAtMs = s.startedAtMs + 8_000;
    const r = toResult(s, { channel: 'a', recorderUid: '1' }, s.endedAtMs);
    const text = formatResult({ ...r, pauses: { count: 1, operatorMs: 6_000, videoLostMs: 0 } });
    expect(text).toMatch(
      /\n {2}ran\s+8s from the first start, 6s of it operator-paused \(no Agora session then\)/,
    );
    expect(text).not.toMatch(/captured/);
  });

  it("gives Agora's own words beside agora-ended, in the result and in status", () => {
    const s = initialState('capture/a/1');
    s.phase = 'STOPPED';
    s.endReason = 'agora-ended';
    s.startedAtMs = Date.parse('2026-11-29T11:00:00.000Z');
    s.endedAtMs = s.startedAtMs + 8_000;
    s.segments.push({
      index: 0,
      resourceId: 'r',
      sid: 's',
      uid: '1',
      startedAtMs: s.startedAtMs,
      failovers: 0,
    });
    s.segments[0]!.agoraEnd = { why: 'Agora recorder error 109 (level 5): token expired', rank: 3 };
    const ids = { channel: 'a', recorderUid: '1' };
    expect(formatResult(toResult(s, ids, s.endedAtMs))).toMatch(
      /ended: agora-ended \(Agora recorder error 109 \(level 5\): token expired\)\n/,
    );
    expect(formatStatus(toStatus(s, ids, undefined, s.endedAtMs), s.endedAtMs)).toMatch(
      /end reason\s+agora-ended \(Agora recorder error 109 \(level 5\): token expired\)/,
    );
  });

  it('says no Agora session was started when the capture was stopped before one (e.g. while QUEUED)', () => {
    const s = initialState('capture/a/1');
    s.phase = 'STOPPED';
    s.endReason = 'stopped';
    s.stopRequested = 'not needed';
    s.stopOutcome = 'not-started';
    s.endedAtMs = Date.parse('2026-11-29T11:00:00.000Z');
    const text = formatResult(toResult(s, { channel: 'a', recorderUid: '1' }, s.endedAtMs));
    expect(text).toMatch(
      /ended: stopped \(not needed\)\n {2}ran\s+not at all: no Agora session was started\n/,
    );
    expect(text).toMatch(/\n {2}stop outcome\s+not-started/);
    expect(text).not.toMatch(/from the first start|\n {2}sid/);
  });
});
