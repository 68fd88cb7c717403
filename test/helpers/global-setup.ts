/** One Temporal dev server for the whole test run (2 cores: one server, files in sequence). */
import { startDevServer } from './dev-server';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
  }
}

export default async function setup(project: { provide(key: 'temporalAddress', value: string): void }) {
  const server = await startDevServer();
  project.provide('temporalAddress', server.address);
  return async () => {
    await server.stop();
  };
}
