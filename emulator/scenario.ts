/**
 * Scripted channel timelines (JSON-describable), e.g. "1001 publishes, turns video off at 12 s,
 * back on at 20 s". A scenario's clock for a channel starts with the first session in that
 * channel; steps without `cname` run in every channel that gets a session. Times and failover
 * windows are multiplied by `timeScale`.
 */
import { z } from 'zod';
import { uidSchema } from './schemas/common';
import type { ChannelHandle, ScenarioStep } from './sim-types';
import { TimerSet } from './timer-set';

/** Default HA window of a scripted failover: a killed recorder is switched within about 30 s. */
const DEFAULT_FAILOVER_WINDOW_MS = 30_000;

const stepSchema = z
  .strictObject({
    afterMs: z.number().min(0),
    cname: z.string().min(1).optional(),
    action: z.enum(['join', 'leave', 'video-off', 'video-on', 'failover', 'end-session']),
    uid: uidSchema.optional(),
    video: z.boolean().optional(),
    windowMs: z.number().min(0).optional(),
  })
  .refine((s) => s.uid !== undefined || s.action === 'failover' || s.action === 'end-session', {
    message: 'uid is required for join, leave, video-off and video-on',
    path: ['uid'],
  });

/** Schema of a scenario: an array of steps. */
export const scenarioSchema = z.array(stepSchema);

/** Validates a scenario (e.g. parsed from a JSON file); throws a readable error. */
export function parseScenario(json: unknown): ScenarioStep[] {
  const r = scenarioSchema.safeParse(json);
  if (r.success) return r.data;
  throw new Error(
    `invalid scenario: ${r.error.issues.map((i) => `[${i.path.join('.')}] ${i.message}`).join('; ')}`,
  );
}

/** What the runner acts on. */
export interface ScenarioDeps {
  scale: number;
  now: () => number;
  log: (line: string) => void;
  channel: (cname: string) => ChannelHandle;
  /** Running sessions in start order. */
  activeSessions: () => Array<{ sid: string; cname: string; startedAt: number }>;
  /** Unscaled window; the emulator scales it. */
  failover: (sid: string, windowMs: number) => void;
  endSession: (sid: string) => void;
}

interface Run {
  steps: ScenarioStep[];
  begun: Set<string>;
  timers: TimerSet;
}

/** Runs scenarios: each begins per channel when that channel's first session starts. */
export class ScenarioRunner {
  private runs = new Set<Run>();

  constructor(private readonly d: ScenarioDeps) {}

  /** Registers a scenario; channels with a running session begin at once (relative to its start). */
  run(steps: readonly ScenarioStep[]): { cancel(): void } {
    const run: Run = { steps: parseScenario(steps), begun: new Set(), timers: new TimerSet() };
    this.runs.add(run);
    for (const s of this.d.activeSessions()) this.begin(run, s.cname, s.startedAt);
    return {
      cancel: () => {
        run.timers.clear();
        this.runs.delete(run);
      },
    };
  }

  /** A session started in `cname` at `startedAt` (emulator clock). */
  sessionStarted(cname: string, startedAt: number): void {
    for (const run of this.runs) this.begin(run, cname, startedAt);
  }

  /** Cancels every scenario. */
  clear(): void {
    this.runs.forEach((r) => r.timers.clear());
    this.runs.clear();
  }

  private begin(run: Run, cname: string, base: number): void {
    if (run.begun.has(cname)) return;
    run.begun.add(cname);
    for (const step of run.steps) {
      if (step.cname !== undefined && step.cname !== cname) continue;
      const delay = Math.max(0, base + step.afterMs * this.d.scale - this.d.now());
      run.timers.after(delay, () => this.exec(step, cname));
    }
  }

  private exec(step: ScenarioStep, cname: string): void {
    const uid = step.uid ?? '';
    this.d.log(`scenario: ${cname} +${step.afterMs} ms ${step.action}${uid ? ` ${uid}` : ''}`);
    const sids = () => this.d.activeSessions().filter((s) => s.cname === cname);
    try {
      const ch = this.d.channel(cname);
      switch (step.action) {
        case 'join':
          return ch.join(uid, { video: step.video ?? true });
        case 'leave':
          return ch.leave(uid);
        case 'video-off':
        case 'video-on':
          return ch.setVideo(uid, step.action === 'video-on');
        case 'failover':
          return sids().forEach((s) => this.d.failover(s.sid, step.windowMs ?? DEFAULT_FAILOVER_WINDOW_MS));
        case 'end-session':
          return sids().forEach((s) => this.d.endSession(s.sid));
      }
    } catch (e) {
      this.d.log(`scenario step failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
