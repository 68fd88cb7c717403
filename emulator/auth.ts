/**
 * HTTP Basic authentication as Agora's gateway does it: no header → "Unauthorized", anything
 * that does not decode to the configured `customerId:customerSecret` → "Invalid authentication
 * credentials". Both are 401 `{"message"}`.
 */
import { timingSafeEqual } from 'node:crypto';
import { gatewayError, type ApiError } from './errors';

/** Returns the 401 to send, or undefined when the header carries the right credentials. */
export function checkBasicAuth(
  header: string | undefined,
  customerId: string,
  customerSecret: string,
): ApiError | undefined {
  if (!header) return gatewayError(401, 'Unauthorized');
  const m = /^basic\s+(\S+)\s*$/i.exec(header);
  const given = m?.[1] ? Buffer.from(m[1], 'base64') : Buffer.alloc(0);
  const expected = Buffer.from(`${customerId}:${customerSecret}`, 'utf8');
  if (given.length === expected.length && timingSafeEqual(given, expected)) return undefined;
  return gatewayError(401, 'Invalid authentication credentials');
}
