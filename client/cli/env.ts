/** Where the CLI's settings come from: the environment, optionally seeded from `.env`. */
import { existsSync } from 'node:fs';
import { type ClientSettings, clientSettings } from '../connection';

/** Loads `.env` from the working directory when present; variables already set win. */
export function loadDotEnvIfPresent(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** Connection settings plus the Temporal Web UI base used for links. */
export interface CliSettings extends ClientSettings {
  uiUrl: string;
}

/** Reads settings from `env` (see client/temporal-connection.ts); throws TemporalConfigError naming bad variables. */
export function cliSettings(env: NodeJS.ProcessEnv = process.env): CliSettings {
  return {
    ...clientSettings(env),
    uiUrl: (env.TEMPORAL_UI_URL || 'http://localhost:8233').replace(/\/+$/, ''),
  };
}

/** Link to a workflow in the Temporal Web UI (the id is encoded: it contains `/`). */
export function workflowUiLink(s: Pick<CliSettings, 'uiUrl' | 'namespace'>, workflowId: string): string {
  return `${s.uiUrl}/namespaces/${encodeURIComponent(s.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
