/**
 * Connects a Temporal client with the settings of client/temporal-connection.ts (Temporal's
 * env-config conventions; defaults: the local dev server), plus the task queue captures run on.
 */
import { Client } from '@temporalio/client';
import { connectCloseSafe } from './grpc-retry';
import {
  connectionOptions,
  type TemporalConnectionSettings,
  temporalConnectionSettings,
} from './temporal-connection';

/** Where the client connects, and the task queue it starts captures on. */
export interface ClientSettings extends TemporalConnectionSettings {
  taskQueue: string;
}

/** Reads the settings from `env`; throws TemporalConfigError naming each bad variable. */
export function clientSettings(env: NodeJS.ProcessEnv = process.env): ClientSettings {
  return {
    ...temporalConnectionSettings(env),
    taskQueue: env.TEMPORAL_TASK_QUEUE || 'agora-capture',
  };
}

/** Connects (TLS, API key and headers as configured) and returns a client on the namespace. */
export async function connectClient(settings: ClientSettings, connectTimeout = '5s'): Promise<Client> {
  const connection = await connectCloseSafe({
    ...connectionOptions(settings),
    connectTimeout,
  });
  return new Client({ connection, namespace: settings.namespace });
}
