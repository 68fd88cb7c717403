/**
 * Receiver configuration: one zod schema over the environment, read once at start-up.
 * Errors name the variable and never echo a value (AGORA_NCS_SECRETS holds secrets).
 */
import { z } from 'zod';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_SIGNAL_TIMEOUT_MS } from './server';

/** `VAR=` in a .env file means "not set", not "empty string" (or port 0). */
const unsetIfEmpty = (v: unknown) => (v === '' ? undefined : v);
const int = (min: number, max: number, dflt: number) =>
  z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      .default(dflt),
  );

const secrets = z
  .string({ error: 'is required: the NCS secret(s) from the Agora console, comma-separated during rotation' })
  .transform((v, ctx) => {
    const items = v.split(',').map((s) => s.trim());
    items.forEach((s, i) => {
      if (s === '')
        ctx.addIssue({
          code: 'custom',
          message: `item ${i + 1} of ${items.length} is empty (comma-separated secrets, no empty items)`,
        });
    });
    return items;
  });

const envSchema = z.object({
  RECEIVER_HOST: z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1')),
  RECEIVER_PORT: int(0, 65535, 8088),
  AGORA_NCS_SECRETS: z.preprocess(unsetIfEmpty, secrets),
  RECEIVER_MAX_BODY_BYTES: int(1024, 16 * 1024 * 1024, DEFAULT_MAX_BODY_BYTES),
  /** Must stay below Agora's 10 s, or a slow Temporal turns into lost events instead of resends. */
  RECEIVER_SIGNAL_TIMEOUT_MS: int(100, 9000, DEFAULT_SIGNAL_TIMEOUT_MS),
  TEMPORAL_ADDRESS: z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1:7233')),
  TEMPORAL_NAMESPACE: z.preprocess(unsetIfEmpty, z.string().default('default')),
});

/** The validated configuration. */
export type ReceiverConfig = z.output<typeof envSchema>;

/** A configuration problem; the message lists each bad variable. */
export class ReceiverConfigError extends Error {
  override name = 'ReceiverConfigError';
}

/** Reads and validates the receiver's variables; throws ReceiverConfigError naming each one. */
export function loadReceiverConfig(env: NodeJS.ProcessEnv = process.env): ReceiverConfig {
  const parsed = envSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new ReceiverConfigError(`invalid receiver configuration:\n${lines.join('\n')}`);
}
