/**
 * One Temporal server for the whole test run (2 cores: one server, files in sequence).
 * Default: the CLI's dev server. TEMPORAL_SERVER=postgres: the real server on PostgreSQL
 * (`npm run test:server`), prepared the way an operator prepares one.
 */
import { startDevServer } from './dev-server';
import { prepareCaptureServer } from './prepare-capture-server';
import { startRealServer } from './real-server';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    /** Which server the run uses: `dev` (CLI dev server) or `postgres` (real server). */
    temporalServerKind: 'dev' | 'postgres';
  }
}

type Provide = <K extends 'temporalAddress' | 'temporalServerKind'>(
  key: K,
  value: K extends 'temporalAddress' ? string : 'dev' | 'postgres',
) => void;

export default async function setup(project: { provide: Provide }) {
  const kind = process.env.TEMPORAL_SERVER === 'postgres' ? 'postgres' : 'dev';
  if (process.env.TEMPORAL_SERVER && !['dev', 'postgres'].includes(process.env.TEMPORAL_SERVER))
    throw new Error(`TEMPORAL_SERVER must be "dev" or "postgres", got "${process.env.TEMPORAL_SERVER}"`);
  const server = kind === 'postgres' ? await startRealServer() : await startDevServer();
  try {
    if (kind === 'postgres') await prepareCaptureServer(server.address);
  } catch (e) {
    await server.stop();
    throw e;
  }
  project.provide('temporalAddress', server.address);
  project.provide('temporalServerKind', kind);
  return async () => {
    await server.stop();
  };
}
