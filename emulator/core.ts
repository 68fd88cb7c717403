/**
 * The emulator's mutable state in one place, shared by the REST pipeline, the admin API and
 * the programmatic API.
 */
import type { FaultQueues } from './faults';
import type { HandlerContext } from './handlers/context';
import type { RateLimiter } from './rate-limit';
import type { RequestRecord } from './types';

/** Everything a request needs. */
export interface Core extends HandlerContext {
  faults: FaultQueues;
  limiter: RateLimiter;
  /** The RESTful API credentials Basic auth accepts now (rotateCredentials replaces them). */
  credentials: { customerId: string; customerSecret: string };
  requests: RequestRecord[];
}
