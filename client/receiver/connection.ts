/**
 * The receiver's connection to Temporal: the Rust client, connecting in the background so
 * `npm run receiver` starts while Temporal is down and answers 503 until it is back (Agora
 * resends); see background-connection.ts.
 */
import { connectionOptions, type TemporalConnectionSettings } from '../temporal-connection';
import { BackgroundConnection } from './background-connection';

export function receiverConnection(settings: TemporalConnectionSettings): BackgroundConnection {
  return new BackgroundConnection(connectionOptions(settings));
}
