/** Connects a Temporal client from TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE (defaults: local dev server). */
import { Client, Connection } from '@temporalio/client';

export interface ClientSettings {
  address: string;
  namespace: string;
  taskQueue: string;
}

export function clientSettings(env: NodeJS.ProcessEnv = process.env): ClientSettings {
  return {
    address: env.TEMPORAL_ADDRESS || '127.0.0.1:7233',
    namespace: env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE || 'agora-capture',
  };
}

export async function connectClient(settings: ClientSettings, connectTimeout = '5s'): Promise<Client> {
  const connection = await Connection.connect({ address: settings.address, connectTimeout });
  return new Client({ connection, namespace: settings.namespace });
}
