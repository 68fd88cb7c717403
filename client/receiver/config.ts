/**
 * Receiver configuration: one zod schema over the environment, read once at start-up.
 * Errors name the variable and never echo a value (AGORA_NCS_SECRETS holds secrets).
 */
import { z } from 'zod';
import { EnvFileError, resolveEnvFiles } from '../../config/env-files';
import {
  type TemporalConnectionSettings,
  TemporalConfigError,
  temporalConnectionSettings,
} from '../temporal-connection';
import {
  DEFAULT_FUTURE_SKEW_MS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_REMEMBERED_NOTICES,
  DEFAULT_REPLAY_WINDOW_MS,
  DEFAULT_SIGNAL_TIMEOUT_MS,
} from './server';

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
  /**
   * Port of the probes and metrics (/healthz, /readyz, /metrics) when they must not share the
   * callback port. Unset: they are served on RECEIVER_PORT.
   */
  RECEIVER_ADMIN_PORT: z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(0, 'must be at least 0')
      .max(65535, 'must be at most 65535')
      .optional(),
  ),
  RECEIVER_ADMIN_HOST: z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1')),
  AGORA_NCS_SECRETS: z.preprocess(unsetIfEmpty, secrets),
  /**
   * The worker-style storage profiles file: with RECEIVER_ADMIN_PORT set, the admin port serves
   * each capture's timeline page from the bucket. Unset: no timeline route.
   */
  AGORA_STORAGE_PROFILES: z.preprocess(unsetIfEmpty, z.string().optional()),
  RECEIVER_MAX_BODY_BYTES: int(1024, 16 * 1024 * 1024, DEFAULT_MAX_BODY_BYTES),
  /** Must stay below Agora's 10 s, or a slow Temporal turns into lost events instead of resends. */
  RECEIVER_SIGNAL_TIMEOUT_MS: int(100, 9000, DEFAULT_SIGNAL_TIMEOUT_MS),
  /** At least 10 min: Agora's resends (3, within minutes) must never look stale. */
  RECEIVER_REPLAY_WINDOW_SECONDS: int(600, 7 * 24 * 3600, DEFAULT_REPLAY_WINDOW_MS / 1000),
  RECEIVER_FUTURE_SKEW_SECONDS: int(0, 3600, DEFAULT_FUTURE_SKEW_MS / 1000),
  RECEIVER_MAX_REMEMBERED_NOTICES: int(1000, 10_000_000, DEFAULT_MAX_REMEMBERED_NOTICES),
});

/** The validated configuration. */
export type ReceiverConfig = z.output<typeof envSchema> & {
  /** Where the receiver connects (TEMPORAL_ADDRESS, TLS, API key...: client/temporal-connection.ts). */
  temporal: TemporalConnectionSettings;
};

/** A configuration problem; the message lists each bad variable. */
export class ReceiverConfigError extends Error {
  override name = 'ReceiverConfigError';
}

/** Reads and validates the receiver's variables; throws ReceiverConfigError naming each one. */
export function loadReceiverConfig(env: NodeJS.ProcessEnv = process.env): ReceiverConfig {
  let resolved: NodeJS.ProcessEnv;
  try {
    // AGORA_NCS_SECRETS_FILE: the secret(s) from a mounted file instead of the environment.
    resolved = resolveEnvFiles(env, ['AGORA_NCS_SECRETS']);
  } catch (e) {
    if (e instanceof EnvFileError)
      throw new ReceiverConfigError(`invalid receiver configuration:\n${e.message}`);
    throw e;
  }
  const parsed = envSchema.safeParse(resolved);
  const lines = parsed.success ? [] : parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  let temporal: TemporalConnectionSettings | undefined;
  try {
    temporal = temporalConnectionSettings(env);
  } catch (e) {
    if (!(e instanceof TemporalConfigError)) throw e;
    lines.push(...e.issues.map((i) => `  ${i}`));
  }
  if (parsed.success && temporal !== undefined) return { ...parsed.data, temporal };
  throw new ReceiverConfigError(`invalid receiver configuration:\n${lines.join('\n')}`);
}
