/**
 * Worker configuration: one zod schema over the environment, read once at start-up.
 * Every variable is documented in .env.example. Storage credentials live in a JSON file of
 * named profiles, so workflows carry only the profile's name.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { resolveAgoraBaseUrl } from '../agora';
import {
  type TemporalConnectionSettings,
  TemporalConfigError,
  temporalConnectionSettings,
} from '../client/temporal-connection';
import type { StorageProfiles } from '../storage/profile';
import { loadStorageProfiles, StorageProfilesError } from '../storage/profiles-file';
import { readSecretFile } from './secret-file';
import { loadWebhookSecrets } from './webhook-secrets';

const boolFlag = z
  .enum(['true', 'false', '1', '0', ''])
  .default('false')
  .transform((v) => v === 'true' || v === '1');

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v ? v : undefined));

const envSchema = z.object({
  /** Allows a plain-http Agora URL off loopback (the emulator inside docker-compose). */
  AGORA_ALLOW_INSECURE_HTTP: boolFlag,
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('agora-capture'),
  AGORA_REST_URL: z.string().default('https://api.sd-rtn.com'),
  /** Agora App IDs are 32 hex characters: anything else would only fail at Agora's first call. */
  AGORA_APP_ID: z
    .string({ error: 'is required (your Agora App ID)' })
    .min(1, 'is required (your Agora App ID)')
    .refine(
      (v) => v === '' || /^[0-9a-fA-F]{32}$/.test(v),
      'must be 32 hex characters (the App ID of your project in the Agora console)',
    ),
  AGORA_CUSTOMER_ID: optionalText,
  AGORA_CUSTOMER_SECRET: optionalText,
  AGORA_APP_CERTIFICATE: optionalText,
  /**
   * Files holding the credentials instead (mounted secrets). Read at start; the id and secret
   * are read again when Agora answers 401 (a rotated secret), the certificate at every start.
   */
  AGORA_CUSTOMER_ID_FILE: optionalText,
  AGORA_CUSTOMER_SECRET_FILE: optionalText,
  AGORA_APP_CERTIFICATE_FILE: optionalText,
  /**
   * The App ID's REST requests per second (Agora's default: 10). Every Agora call runs on one
   * task queue whose dispatch Temporal limits to this rate across all workers.
   */
  AGORA_QPS: z.coerce.number().positive().max(1000).default(10),
  AGORA_STORAGE_PROFILES: z
    .string({ error: 'is required (path of the storage profiles JSON file)' })
    .min(1, 'is required'),
  AGORA_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  WORKER_SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).default(30),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
  /**
   * Which workflow code the worker runs: `prebuilt` (dist/workflow-bundle.js from `npm run
   * build`), `source` (bundle workflows/ at start-up) or `auto` (prebuilt when the worker runs from
   * a build that has one, else source; with NODE_ENV=production a missing bundle is an error).
   */
  WORKER_WORKFLOW_BUNDLE: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(['auto', 'prebuilt', 'source']).default('auto'),
  ),
  /**
   * A prebuilt workflow bundle to load instead of dist/workflow-bundle.js (e.g. one the bench
   * wrote with bundleCaptureWorkflows()). Set: the file must exist, whatever WORKER_WORKFLOW_BUNDLE
   * says, except `source`, which contradicts it. Unset or empty: the default path.
   */
  WORKER_WORKFLOW_BUNDLE_PATH: optionalText,
  NODE_ENV: z.string().optional(),
  /**
   * host:port of the Prometheus `/metrics` endpoint (SDK runtime telemetry + agora_capture_*).
   * Unset or empty: no endpoint. Port 0 is refused: the SDK's exporter would bind a random
   * port without any way to learn which, so nothing could scrape it.
   */
  WORKER_METRICS_ADDRESS: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || metricsAddressProblem(v) === undefined, {
      error: (i) => metricsAddressProblem(String(i.input)) ?? 'invalid',
    }),
  /** json: one JSON object per line (default, for log shippers); pretty: the SDK's text lines. */
  LOG_FORMAT: z.preprocess(
    (v) => (typeof v === 'string' && v !== '' ? v.toLowerCase() : undefined),
    z.enum(['json', 'pretty']).default('json'),
  ),
  /** Path of the JSON file `{"<name>": "whsec_…"}` of webhook signing secrets; unset: none. */
  AGORA_CAPTURE_WEBHOOK_SECRETS: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined)),
  /** First retry interval of an undelivered webhook event; doubles up to the maximum. */
  AGORA_CAPTURE_WEBHOOK_RETRY_INITIAL_MS: z.coerce.number().int().min(100).default(5_000),
  AGORA_CAPTURE_WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(100).default(3_600_000),
  /** How long an event is retried before it is given up: Standard Webhooks practice is a day or more. */
  AGORA_CAPTURE_WEBHOOK_GIVE_UP_HOURS: z.coerce
    .number()
    .min(24, 'must be at least 24 (events are retried for at least a day)')
    .default(26),
  /** Timeout of one webhook POST (the consumer should answer 2xx quickly). */
  AGORA_CAPTURE_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  LOG_LEVEL: z.preprocess(
    (v) => (typeof v === 'string' && v !== '' ? v.toUpperCase() : undefined),
    z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  ),
});

/** Why `host:port` cannot be the metrics bind address, or undefined when it can. */
export function metricsAddressProblem(address: string): string | undefined {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^:\s]+):(\d{1,5})$/.exec(address);
  if (!m) return 'must be host:port, e.g. 127.0.0.1:9464 (or [::1]:9464)';
  const port = Number(m[2]);
  if (port === 0) return 'port 0 is not supported: the SDK would not report which port it bound';
  if (port > 65535) return 'port must be 1-65535';
  return undefined;
}

type EnvConfig = z.output<typeof envSchema>;

/** The validated configuration; the credentials hold their start-up values (from a file or the variable). */
export type WorkerConfig = Omit<EnvConfig, 'AGORA_CUSTOMER_ID' | 'AGORA_CUSTOMER_SECRET'> & {
  AGORA_CUSTOMER_ID: string;
  AGORA_CUSTOMER_SECRET: string;
  storageProfiles: StorageProfiles;
  /** Where the worker connects (TEMPORAL_ADDRESS, TLS, API key...: client/temporal-connection.ts). */
  temporal: TemporalConnectionSettings;
  /** = temporal.namespace */
  TEMPORAL_NAMESPACE: string;
  /** Webhook secret name → `whsec_…` value (empty without AGORA_CAPTURE_WEBHOOK_SECRETS). */
  webhookSecrets: Record<string, string>;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the worker's configuration; throws ConfigError naming each bad variable. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = envSchema.safeParse(env);
  let temporal: TemporalConnectionSettings | undefined;
  const lines = parsed.success ? [] : parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  try {
    temporal = temporalConnectionSettings(env);
  } catch (e) {
    if (!(e instanceof TemporalConfigError)) throw e;
    lines.push(...e.issues.map((i) => `  ${i}`));
  }
  if (!parsed.success || temporal === undefined) {
    throw new ConfigError(`invalid worker configuration:\n${lines.join('\n')}`);
  }
  const credentials = resolveCredentials(parsed.data);
  let storageProfiles: StorageProfiles;
  try {
    storageProfiles = loadStorageProfiles(parsed.data.AGORA_STORAGE_PROFILES);
  } catch (e) {
    if (e instanceof StorageProfilesError) throw new ConfigError(e.message);
    throw e;
  }
  let webhookSecrets: Record<string, string> = {};
  if (parsed.data.AGORA_CAPTURE_WEBHOOK_SECRETS) {
    const loaded = loadWebhookSecrets(parsed.data.AGORA_CAPTURE_WEBHOOK_SECRETS);
    if (!loaded.ok) throw new ConfigError(`AGORA_CAPTURE_WEBHOOK_SECRETS: ${loaded.problem}`);
    webhookSecrets = loaded.secrets;
  }
  let agoraUrl: string;
  try {
    agoraUrl = resolveAgoraBaseUrl(parsed.data.AGORA_REST_URL, {
      allowInsecureHttp: parsed.data.AGORA_ALLOW_INSECURE_HTTP,
    });
  } catch (e) {
    throw new ConfigError(`invalid worker configuration:\n  AGORA_REST_URL: ${(e as Error).message}`);
  }
  return {
    ...parsed.data,
    ...credentials,
    AGORA_REST_URL: agoraUrl,
    storageProfiles,
    temporal,
    TEMPORAL_NAMESPACE: temporal.namespace,
    webhookSecrets,
  };
}

/** Each credential from its variable or its `_FILE`, never both; id and secret are required. */
function resolveCredentials(
  env: EnvConfig,
): Pick<WorkerConfig, 'AGORA_CUSTOMER_ID' | 'AGORA_CUSTOMER_SECRET' | 'AGORA_APP_CERTIFICATE'> {
  const problems: string[] = [];
  const pick = (name: CredentialName, required: string | undefined): string | undefined => {
    const value = env[name];
    const file = env[`${name}_FILE`];
    if (value !== undefined && file !== undefined) {
      problems.push(`  ${name}: set either ${name} or ${name}_FILE, not both`);
      return undefined;
    }
    if (file !== undefined) {
      const read = readSecretFile(file);
      if (!read.ok) problems.push(`  ${name}_FILE: ${read.problem}`);
      return read.ok ? read.value : undefined;
    }
    if (value === undefined && required) problems.push(`  ${name}: ${required}`);
    return value;
  };
  const id = pick('AGORA_CUSTOMER_ID', 'is required (RESTful API customer id), or AGORA_CUSTOMER_ID_FILE');
  const secret = pick(
    'AGORA_CUSTOMER_SECRET',
    'is required (RESTful API customer secret), or AGORA_CUSTOMER_SECRET_FILE',
  );
  const certificate = pick('AGORA_APP_CERTIFICATE', undefined);
  if (problems.length > 0 || id === undefined || secret === undefined)
    throw new ConfigError(`invalid worker configuration:\n${problems.join('\n')}`);
  return { AGORA_CUSTOMER_ID: id, AGORA_CUSTOMER_SECRET: secret, AGORA_APP_CERTIFICATE: certificate };
}

type CredentialName = 'AGORA_CUSTOMER_ID' | 'AGORA_CUSTOMER_SECRET' | 'AGORA_APP_CERTIFICATE';

/** Loads `.env` from the working directory when present; variables already set win. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
