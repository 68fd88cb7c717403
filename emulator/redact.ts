/**
 * Secrets out of what the emulator keeps: the ledger is served unauthenticated on the admin API
 * (and read by tests, the dev tool and logs), so a start body is stored with its storage keys,
 * RTC token and decryption secret replaced before it is kept at all.
 */

/** What a secret's value becomes. */
export const REDACTED = '[redacted]';

/**
 * Field names that hold secrets in Cloud Recording bodies: storageConfig.accessKey/secretKey,
 * clientRequest.token (an RTC token) and recordingConfig.secret (the stream decryption key).
 */
const SECRET_FIELDS: ReadonlySet<string> = new Set(['accessKey', 'secretKey', 'token', 'secret']);

/** A deep copy of `value` with every secret field's value replaced by {@link REDACTED}. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      SECRET_FIELDS.has(k) && v !== undefined ? REDACTED : redactSecrets(v),
    ]),
  );
}
