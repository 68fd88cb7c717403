/**
 * The NCS voice of one session: builds each notification's payload with the session's next
 * `sequence` (one counter for the session's life, failovers included) and the current bot uid
 * (which a failover changes), then hands it to delivery.
 */
import { randomUUID } from 'node:crypto';
import { EVENT_TYPES, type EventDetails, type Notice } from './ncs';

/** Numbers and addresses a session's notifications. */
export class SessionNotifier {
  private sequence = 0;

  constructor(
    private readonly ids: { sid: string; cname: string },
    /** The bot uid in `payload.uid`; reassigned after a failover. */
    public botUid: string,
    private readonly now: () => number,
    private readonly deliver: (notice: Notice) => void,
  ) {}

  /** A built-in event with typed details (msgName and serviceType from the event table). */
  emit<K extends keyof EventDetails>(eventType: K, details: EventDetails[K]): void {
    this.send(eventType, { msgName: EVENT_TYPES[eventType]?.msgName ?? '', ...details });
  }

  /** Any event; `details.msgName` defaults from the event table and is required otherwise. */
  notify(eventType: number, details: Record<string, unknown>): void {
    const { msgName = EVENT_TYPES[eventType]?.msgName, ...rest } = details;
    if (typeof msgName !== 'string') throw new Error(`event ${eventType} needs details.msgName`);
    // msgName first, as in the built-in events.
    this.send(eventType, { msgName, ...rest });
  }

  private send(eventType: number, details: Notice['payload']['details']): void {
    const payload = {
      cname: this.ids.cname,
      uid: this.botUid,
      sid: this.ids.sid,
      sequence: this.sequence++,
      sendts: this.now(),
      serviceType: EVENT_TYPES[eventType]?.serviceType ?? 0,
      details,
    };
    this.deliver({ noticeId: randomUUID(), eventType, payload });
  }
}
