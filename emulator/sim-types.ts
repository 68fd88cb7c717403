/**
 * Public shapes of the channel simulation and the NCS callbacks: publishers, delivery records,
 * callback faults and scenario steps. Kept apart from the implementation, like types.ts.
 */

/** One user in a simulated channel; `video` is whether it currently sends video. */
export interface Publisher {
  uid: string;
  video: boolean;
}

/** Programmatic control of one simulated channel (see `AgoraEmulator.channel`). */
export interface ChannelHandle {
  readonly cname: string;
  /** The uid joins (video on unless `video: false`); joining again only sets the video state. */
  join(uid: string, opts?: { video?: boolean }): void;
  /** The uid leaves; leaving a channel one is not in does nothing. */
  leave(uid: string): void;
  /** Turns the uid's video on or off; throws when the uid is not in the channel. */
  setVideo(uid: string, on: boolean): void;
  /** Users in the channel, in join order. */
  publishers(): Publisher[];
}

/** One HTTP attempt to deliver a notification. `at` is on the emulator clock (`now()`). */
export interface CallbackAttempt {
  /** HTTP status, when an answer arrived. */
  status?: number;
  /** Network error or timeout, when no answer arrived. */
  error?: string;
  at: number;
}

/** One notification sent (or deliberately not sent) to the callback URL. */
export interface CallbackRecord {
  noticeId: string;
  eventType: number;
  sid: string;
  sequence: number;
  /** Every attempt in order: the first send, then up to `resendDelaysMs.length` resends. */
  attempts: CallbackAttempt[];
  /** True once an attempt got HTTP 200 within the timeout. */
  delivered: boolean;
  /** Set when the loss fault swallowed it: no attempt was made. */
  dropped?: 'loss';
  /** True for the extra copy made by the duplicate fault. */
  duplicate?: true;
}

/** Faults applied to each notification (not to each attempt); rates are probabilities in [0, 1]. */
export interface CallbackFaults {
  /** Chance that a notification is sent twice (two independent deliveries). */
  duplicateRate?: number;
  /** Whether a duplicate keeps the noticeId ('same', default) or gets a new one ('fresh'). */
  duplicateNoticeId?: 'same' | 'fresh';
  /** Each delivery waits a random extra [0, window] ms before its first attempt, so order shuffles. */
  reorderWindowMs?: number;
  /** Chance that a notification is never sent (recorded with `dropped: 'loss'`). */
  lossRate?: number;
  /** Event types `lossRate` applies to (e.g. [45]: only screenshot reports are lost). Default []: every type. */
  lossEventTypes?: readonly number[];
  /** PRNG seed; the same seed and the same events give the same faults. Default: random. */
  seed?: number;
}

/** What a step of a scenario does to its channel. */
export type ScenarioAction = 'join' | 'leave' | 'video-off' | 'video-on' | 'failover' | 'end-session';

/**
 * One step of a scripted channel timeline. `afterMs` counts from the start of the first session
 * in the channel (scaled by `timeScale`). Without `cname` the step runs in every channel that
 * gets a session. `uid` is required for join/leave/video-*; `video` (join, default true) and
 * `windowMs` (failover, default 30000, scaled) are optional.
 */
export interface ScenarioStep {
  afterMs: number;
  cname?: string;
  action: ScenarioAction;
  uid?: string;
  video?: boolean;
  windowMs?: number;
}
