/**
 * Connecting for one CLI command: a short connect timeout so an unreachable server is one
 * clear line after a few seconds instead of a hang or a gRPC stack trace.
 */
import type { Client } from '@temporalio/client';
import { connectClient } from '../connection';
import { describeTemporalTarget } from '../temporal-connection';
import type { CliSettings } from './env';
import { CliFailure } from './errors';

/** How long to wait for the server before giving up. */
export const CONNECT_TIMEOUT = '3s';

/** Connects, or throws CliFailure "cannot reach Temporal at ...". */
export async function connectOrFail(s: CliSettings): Promise<Client> {
  try {
    return await connectClient(s, CONNECT_TIMEOUT);
  } catch (e) {
    throw new CliFailure(
      `cannot reach Temporal at ${describeTemporalTarget(s)}: ${(e as Error).message}. Is the server running? (npm run dev, or set TEMPORAL_ADDRESS; TLS: TEMPORAL_TLS and TEMPORAL_TLS_*; Temporal Cloud: TEMPORAL_API_KEY)`,
    );
  }
}

/** Closes the client's connection; errors on close are irrelevant to the command's outcome. */
export async function disconnect(client: Client | undefined): Promise<void> {
  await client?.connection.close().catch(() => {});
}
