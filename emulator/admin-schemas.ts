/**
 * Runtime validation of faults and admin bodies, so a typo in a test or in a curl command fails
 * loudly instead of silently injecting nothing.
 */
import { z } from 'zod';
import { ENDPOINTS, type Endpoint } from './types';

/** Schema of one {@link Fault}. */
const sid = z.string().min(1).optional();
export const faultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('respond'),
    status: z.number().int().min(100).max(599),
    body: z.unknown(),
    sid,
  }),
  z.object({ kind: z.literal('latency'), ms: z.number().min(0), sid }),
  z.object({ kind: z.literal('perform-then-drop'), sid }),
  z.object({ kind: z.literal('drop'), sid }),
]);

/** Schema of an endpoint name. */
export const endpointSchema = z.enum(ENDPOINTS as [Endpoint, ...Endpoint[]]);

/** `POST /__emulator/faults` body. */
export const injectBody = z.object({ endpoint: endpointSchema, faults: z.array(faultSchema).min(1) });
/** `POST /__emulator/failover` body. */
export const failoverBody = z.object({ sid: z.string(), windowMs: z.number().min(0) });
/** `POST /__emulator/end-session` body. */
export const endSessionBody = z.object({ sid: z.string(), reason: z.enum(['idle', 'agora']).optional() });
