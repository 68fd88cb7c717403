/**
 * The receiver's connection to Temporal: lazy, so `npm run receiver` starts while Temporal is
 * down and answers 503 until it is back (Agora resends); quick to reconnect; and with the
 * close-safe retry interceptor (../grpc-retry.ts).
 */
import { Connection } from '@temporalio/client';
import { closeSafeRetryInterceptor } from '../grpc-retry';
import { connectionOptions, type TemporalConnectionSettings } from '../temporal-connection';

export function receiverConnection(settings: TemporalConnectionSettings): Connection {
  return Connection.lazy({
    ...connectionOptions(settings),
    // grpc-js backs off up to 120 s between reconnects; recover within seconds of Temporal returning.
    channelArgs: { 'grpc.initial_reconnect_backoff_ms': 500, 'grpc.max_reconnect_backoff_ms': 5000 },
    interceptors: [closeSafeRetryInterceptor()],
  });
}
