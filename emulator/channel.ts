/**
 * Simulated RTC channels: who is in each channel and whether their video is on. Recorders of
 * the sessions in a channel listen to its changes to send event 44, take screenshots and watch
 * for idleness. Channels are created on first use and outlive sessions, like real channels.
 */
import { isValidUid } from './schemas/common';
import type { ChannelHandle, Publisher } from './sim-types';

/** A change in a channel: someone joined, left, or turned video on/off. */
export interface ChannelChange {
  kind: 'join' | 'leave' | 'video';
  uid: string;
}

/** Thrown for an invalid uid (400 on the admin API). */
export class ChannelInputError extends Error {}
/** Thrown when a uid is not in the channel (404 on the admin API). */
export class NotInChannelError extends Error {}

function checkUid(uid: string): void {
  if (typeof uid !== 'string' || !isValidUid(uid)) {
    throw new ChannelInputError(
      `uid must be a decimal integer string in [1, 4294967295], got ${String(uid)}`,
    );
  }
}

/** One channel's members; implements the public {@link ChannelHandle}. */
export class Channel implements ChannelHandle {
  private members = new Map<string, boolean>();
  private listeners = new Set<(change: ChannelChange) => void>();

  constructor(readonly cname: string) {}

  join(uid: string, opts: { video?: boolean } = {}): void {
    checkUid(uid);
    const video = opts.video ?? true;
    const before = this.members.get(uid);
    if (before === video) return;
    this.members.set(uid, video);
    this.emit({ kind: before === undefined ? 'join' : 'video', uid });
  }

  leave(uid: string): void {
    if (this.members.delete(uid)) this.emit({ kind: 'leave', uid });
  }

  setVideo(uid: string, on: boolean): void {
    checkUid(uid);
    const before = this.members.get(uid);
    if (before === undefined) throw new NotInChannelError(`uid ${uid} is not in channel ${this.cname}`);
    if (before === on) return;
    this.members.set(uid, on);
    this.emit({ kind: 'video', uid });
  }

  publishers(): Publisher[] {
    return [...this.members].map(([uid, video]) => ({ uid, video }));
  }

  /** Whether `uid` is in the channel with video on. */
  sendsVideo(uid: string): boolean {
    return this.members.get(uid) === true;
  }

  /** Whether `uid` is in the channel at all. */
  has(uid: string): boolean {
    return this.members.has(uid);
  }

  /** Number of users in the channel (0 = idle). */
  get size(): number {
    return this.members.size;
  }

  /** Calls `listener` on every change; returns the unsubscribe function. */
  onChange(listener: (change: ChannelChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: ChannelChange): void {
    for (const l of [...this.listeners]) l(change);
  }
}

/** All channels by cname; a new channel starts with the `autoPublishers` in it, video on. */
export class ChannelRegistry {
  private channels = new Map<string, Channel>();

  constructor(private readonly autoPublishers: readonly string[]) {
    autoPublishers.forEach(checkUid);
  }

  /** The channel, created on first use. */
  get(cname: string): Channel {
    let ch = this.channels.get(cname);
    if (!ch) {
      ch = new Channel(cname);
      for (const uid of this.autoPublishers) ch.join(uid);
      this.channels.set(cname, ch);
    }
    return ch;
  }

  /** Forgets every channel (listeners belong to recorders, which are reset separately). */
  clear(): void {
    this.channels.clear();
  }
}
