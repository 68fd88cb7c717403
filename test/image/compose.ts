/**
 * The parts of docker-compose.yml the image check and the compose test read: a service's
 * command, environment (with compose's `${VAR:-default}` / `${VAR:?error}` interpolation) and
 * secrets, and the published ports.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: unknown;
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  secrets?: Array<string | { source: string; target?: string }>;
  ports?: string[];
  profiles?: string[];
  healthcheck?: { test: unknown };
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  secrets: Record<string, { file: string }>;
}

export const ROOT = path.join(__dirname, '..', '..');

export function readCompose(file = path.join(ROOT, 'docker-compose.yml')): ComposeFile {
  return parse(readFileSync(file, 'utf8')) as ComposeFile;
}

/** Compose's interpolation of one value; a `${VAR:?msg}` whose VAR is unset throws msg. */
export function interpolate(value: string, vars: Record<string, string | undefined>): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (whole, name, op, arg) => {
    if (whole === '$$') return '$';
    const v = vars[name as string];
    const unset = v === undefined || (v === '' && typeof op === 'string' && op.startsWith(':'));
    if (!unset) return v;
    if (op === ':-' || op === '-') return arg as string;
    if (op === ':?' || op === '?') throw new Error(`${name as string}: ${arg as string}`);
    return '';
  });
}

/** A service's environment after interpolation. */
export function serviceEnv(
  service: ComposeService,
  vars: Record<string, string | undefined>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), vars)]),
  );
}

/** A service's secrets as (compose secret name, file name under /run/secrets/). */
export function serviceSecrets(service: ComposeService): Array<{ source: string; target: string }> {
  return (service.secrets ?? []).map((s) =>
    typeof s === 'string' ? { source: s, target: s } : { source: s.source, target: s.target ?? s.source },
  );
}

/** A published port `[host_ip:]host_port:container_port`, read. */
export function parsePort(spec: string): { hostIp?: string; hostPort: string; containerPort: string } {
  const parts = spec.split(':');
  if (parts.length === 3) return { hostIp: parts[0]!, hostPort: parts[1]!, containerPort: parts[2]! };
  if (parts.length === 2) return { hostPort: parts[0]!, containerPort: parts[1]! };
  return { hostPort: '', containerPort: parts[0]! };
}
