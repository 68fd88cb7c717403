/**
 * How every process here (worker, CLI, client API, receiver) finds its Temporal server: one
 * reading of Temporal's environment configuration conventions, the same variables and TOML
 * profiles as the `temporal` CLI and the other SDKs (via `@temporalio/envconfig`):
 *
 * - `TEMPORAL_ADDRESS` (default 127.0.0.1:7233), `TEMPORAL_NAMESPACE` (default `default`);
 * - `TEMPORAL_API_KEY` (turns TLS on unless `TEMPORAL_TLS=false`);
 * - `TEMPORAL_TLS`, `TEMPORAL_TLS_CLIENT_CERT_PATH`, `TEMPORAL_TLS_CLIENT_KEY_PATH`,
 *   `TEMPORAL_TLS_SERVER_CA_CERT_PATH` (or the `_DATA` variants), `TEMPORAL_TLS_SERVER_NAME`;
 * - `TEMPORAL_GRPC_META_<NAME>` headers;
 * - `TEMPORAL_PROFILE` / `TEMPORAL_CONFIG_FILE` (default `~/.config/temporalio/temporal.toml`):
 *   a profile's values, which the variables above override.
 *
 * An empty variable (`VAR=` in .env) counts as unset. Errors name the variable (or the
 * profile key) and the rule, and never echo a value: the API key and key data are secrets.
 */
import { existsSync, readFileSync } from 'node:fs';
import {
  type ClientConfigProfile,
  type ConfigDataSource,
  loadClientConfigProfile,
} from '@temporalio/envconfig';

/** Defaults: the local dev server (`npm run dev`). */
export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';
export const DEFAULT_TEMPORAL_NAMESPACE = 'default';

/** TLS as the SDK's connections take it (client `Connection` and worker `NativeConnection` alike). */
export interface TemporalTls {
  serverNameOverride?: string;
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

/** Where and how to connect; spread {@link connectionOptions} into `Connection.connect`. */
export interface TemporalConnectionSettings {
  address: string;
  namespace: string;
  /** A secret: never print it (see {@link describeTemporalTarget}). */
  apiKey?: string;
  /** false/undefined: plain text. */
  tls?: TemporalTls | false;
  /** gRPC headers from `TEMPORAL_GRPC_META_*` or the profile's `grpc_meta`. */
  metadata?: Record<string, string>;
  /** The profile used, when a config file provided one, for messages. */
  profile?: string;
}

/** A configuration problem; `issues` are "VARIABLE: rule" lines. */
export class TemporalConfigError extends Error {
  override name = 'TemporalConfigError';
  constructor(readonly issues: string[]) {
    super(`invalid Temporal connection configuration:\n${issues.map((i) => `  ${i}`).join('\n')}`);
  }
}

const BOOL = new Set(['true', 'false', '1', '0']);
const TLS_FILES = {
  clientCert: ['TEMPORAL_TLS_CLIENT_CERT', 'client_cert'],
  clientKey: ['TEMPORAL_TLS_CLIENT_KEY', 'client_key'],
  serverCACert: ['TEMPORAL_TLS_SERVER_CA_CERT', 'server_ca_cert'],
} as const;

/** The environment without empty values: envconfig would take `VAR=` as an empty address. */
function nonEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

/** Reads the settings from `env` (and the profile file it points to); throws {@link TemporalConfigError}. */
export function temporalConnectionSettings(env: NodeJS.ProcessEnv = process.env): TemporalConnectionSettings {
  const vars = nonEmpty(env);
  const issues: string[] = [];
  if (vars.TEMPORAL_TLS !== undefined && !BOOL.has(vars.TEMPORAL_TLS.toLowerCase()))
    issues.push('TEMPORAL_TLS: must be true or false (or 1 / 0)');
  if (vars.TEMPORAL_TLS) vars.TEMPORAL_TLS = vars.TEMPORAL_TLS.toLowerCase();
  if (vars.TEMPORAL_TLS_DISABLE_HOST_VERIFICATION && vars.TEMPORAL_TLS_DISABLE_HOST_VERIFICATION !== 'false')
    issues.push(
      'TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: not supported by the TypeScript SDK; set TEMPORAL_TLS_SERVER_NAME to the name in the server certificate instead',
    );
  // envconfig treats a missing file as "no file": a typo would silently mean the defaults.
  if (vars.TEMPORAL_CONFIG_FILE !== undefined && !existsSync(vars.TEMPORAL_CONFIG_FILE))
    throw new TemporalConfigError([
      ...issues,
      `TEMPORAL_CONFIG_FILE: file not found: ${vars.TEMPORAL_CONFIG_FILE}`,
    ]);

  let profile: ClientConfigProfile;
  try {
    profile = loadClientConfigProfile({ overrideEnvVars: vars });
  } catch (e) {
    throw new TemporalConfigError([...issues, profileProblem(e, vars)]);
  }
  const inFile = (key: string) =>
    `${key} of profile "${vars.TEMPORAL_PROFILE ?? 'default'}" in ${vars.TEMPORAL_CONFIG_FILE ?? 'the Temporal config file'}`;
  const nameOf = (envVar: string, fileKey: string) => (vars[envVar] !== undefined ? envVar : inFile(fileKey));

  const address = profile.address ?? DEFAULT_TEMPORAL_ADDRESS;
  if (!/^(\[[0-9A-Fa-f:.]+\]|[^:\s/]+):\d{1,5}$/.test(address))
    issues.push(`${nameOf('TEMPORAL_ADDRESS', 'address')}: must be host:port, e.g. 127.0.0.1:7233`);
  const namespace = profile.namespace ?? DEFAULT_TEMPORAL_NAMESPACE;

  let tls: TemporalTls | false | undefined;
  const t = profile.tls;
  if (t?.disabled === true) tls = false;
  else if (t !== undefined) {
    const read = (which: keyof typeof TLS_FILES): Buffer | undefined => {
      const [envVar, fileKey] = TLS_FILES[which];
      const fromPath = vars[`${envVar}_PATH`] !== undefined;
      return readSource(
        t[which],
        fromPath ? `${envVar}_PATH` : nameOf(`${envVar}_DATA`, `tls.${fileKey}_*`),
        issues,
      );
    };
    const crt = read('clientCert');
    const key = read('clientKey');
    const ca = read('serverCACert');
    if ((t.clientCert === undefined) !== (t.clientKey === undefined))
      issues.push(
        'TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH: set both (mTLS needs the certificate and its key) or neither',
      );
    tls = {
      ...(t.serverName ? { serverNameOverride: t.serverName } : {}),
      ...(ca ? { serverRootCACertificate: ca } : {}),
      ...(crt && key ? { clientCertPair: { crt, key } } : {}),
    };
  } else if (profile.apiKey !== undefined) {
    // Temporal's convention: an API key implies TLS (Temporal Cloud) unless TLS is disabled.
    tls = {};
  }
  if (issues.length > 0) throw new TemporalConfigError(issues);
  return {
    address,
    namespace,
    ...(profile.apiKey !== undefined ? { apiKey: profile.apiKey } : {}),
    ...(tls !== undefined ? { tls } : {}),
    ...(profile.grpcMeta && Object.keys(profile.grpcMeta).length > 0 ? { metadata: profile.grpcMeta } : {}),
    ...(vars.TEMPORAL_PROFILE ? { profile: vars.TEMPORAL_PROFILE } : {}),
  };
}

/** Reads a certificate or key source; a missing file becomes an issue naming `what`. */
function readSource(src: ConfigDataSource | undefined, what: string, issues: string[]): Buffer | undefined {
  if (src === undefined) return undefined;
  if ('data' in src) return Buffer.from(src.data);
  try {
    const bytes = readFileSync(src.path);
    if (bytes.length === 0) issues.push(`${what}: file is empty: ${src.path}`);
    return bytes;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    issues.push(
      `${what}: ${code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? 'error'})`}: ${src.path}`,
    );
    return undefined;
  }
}

/** Why envconfig refused the profile file, naming the variable that points at it. */
function profileProblem(e: unknown, vars: Record<string, string>): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/^Profile '.*' not found/.test(msg))
    return `TEMPORAL_PROFILE: no profile "${vars.TEMPORAL_PROFILE}" in ${vars.TEMPORAL_CONFIG_FILE ?? 'the Temporal config file (~/.config/temporalio/temporal.toml)'}`;
  const file = vars.TEMPORAL_CONFIG_FILE;
  const code = (e as NodeJS.ErrnoException).code;
  if (code !== undefined) return `TEMPORAL_CONFIG_FILE: cannot read ${file ?? 'the config file'} (${code})`;
  // TOML syntax errors quote a line of the file, which may hold an API key: say where only.
  return `${file ? `TEMPORAL_CONFIG_FILE: ${file}` : 'the Temporal config file (~/.config/temporalio/temporal.toml)'} is not valid TOML`;
}

/** The options to spread into `Connection.connect` / `Connection.lazy` / `NativeConnection.connect`. */
export function connectionOptions(s: TemporalConnectionSettings): {
  address: string;
  tls?: TemporalTls | boolean;
  apiKey?: string;
  metadata?: Record<string, string>;
} {
  return {
    address: s.address,
    ...(s.tls !== undefined ? { tls: s.tls } : {}),
    ...(s.apiKey !== undefined ? { apiKey: s.apiKey } : {}),
    ...(s.metadata ? { metadata: s.metadata } : {}),
  };
}

/** "temporal.example:7233 (namespace prod, TLS, API key, profile prod)": for messages; no secrets. */
export function describeTemporalTarget(s: TemporalConnectionSettings): string {
  const tls = s.tls ? (s.tls.clientCertPair ? 'mTLS' : 'TLS') : 'plain text';
  const extra = [
    `namespace ${s.namespace}`,
    tls,
    ...(s.apiKey !== undefined ? ['API key'] : []),
    ...(s.profile ? [`profile ${s.profile}`] : []),
  ];
  return `${s.address} (${extra.join(', ')})`;
}
