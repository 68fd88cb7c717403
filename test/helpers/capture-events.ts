/** Builders for the CaptureEvent the receiver forwards, and a seeded shuffle for delivery tests. */
import type { CaptureEvent } from '../../workflows/messages';

export const SID = '38f8e3cfdc474cd56fc1ceba380d7e1a';
const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);

export class EventScript {
  private seq = 0;
  readonly events: CaptureEvent[] = [];
  constructor(
    readonly cname = 'room42',
    public uid = '527841',
    readonly sid = SID,
  ) {}

  private push(eventType: number, atS: number, details: CaptureEvent['details']): this {
    const sequence = this.seq++;
    this.events.push({
      noticeId: `n-${this.sid}-${this.uid}-${sequence}`,
      eventType,
      cname: this.cname,
      uid: this.uid,
      sid: this.sid,
      sequence,
      eventMs: T0 + atS * 1000,
      details,
    });
    return this;
  }
  video(streamUid: string, on: boolean, atS: number): this {
    return this.push(44, atS, { streamUid, state: on ? 0 : 1 });
  }
  shot(uid: string, atS: number, failoverIndex?: number): this {
    const fileName = `snaps/${failoverIndex === undefined ? '' : `bak${failoverIndex}_`}${this.sid}_${this.cname}__uid_s_${uid}__uid_e_video_${atS}.jpg`;
    return this.push(45, atS, {
      fileName,
      screenshot: { uid, capturedAtMs: T0 + atS * 1000, failoverIndex },
    });
  }
  failover(newUid: string, atS: number): this {
    this.push(12, atS, { newUid });
    this.uid = newUid;
    return this;
  }
  exit(atS: number, exitStatus = 0): this {
    return this.push(11, atS, { exitStatus });
  }
  leave(atS: number, leaveCode: number): this {
    return this.push(41, atS, { leaveCode });
  }
  error(atS: number, details: CaptureEvent['details']): this {
    return this.push(1, atS, details);
  }
}

/** Mulberry32: small, seeded, good enough to shuffle test deliveries reproducibly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every event once or more (resends), in a random order. */
export function shuffledWithDuplicates<T>(items: T[], seed: number, dupRate = 0.3): T[] {
  const rnd = prng(seed);
  const out = items.flatMap((e) => (rnd() < dupRate ? [e, e] : [e]));
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
