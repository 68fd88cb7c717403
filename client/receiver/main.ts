/**
 * `npm run receiver`: the NCS receiver as a process. Configured by environment (see
 * config.ts), seeded from `.env` when present. Starts even while Temporal is down (the
 * connection is made in the background): it answers 503 until Temporal is back, and Agora resends.
 */
import { existsSync } from 'node:fs';
import { Client } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { formatJsonLine } from '../../worker/telemetry';
import { describeTemporalTarget } from '../temporal-connection';
import { receiverConnection } from './background-connection';
import { lineWriter } from './line-writer';
import { cliSettings } from '../cli/env';
import { loadReceiverConfig, ReceiverConfigError } from './config';
import { NCS_PATH, startReceiver } from './server';

const writeLine = lineWriter();
const out = (line: Record<string, unknown>) =>
  writeLine(`${JSON.stringify({ time: new Date().toISOString(), ...line })}\n`);

/** The timeline renderer, required only when served: the page pulls in the AWS SDK. */
const loadTimeline = () =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../timeline/renderer') as typeof import('../timeline/renderer');

async function main(): Promise<void> {
  // Variables already set win over .env (process.loadEnvFile does not overwrite).
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadReceiverConfig();
  // The Rust client's runtime (background-connection.ts): its warnings as JSON lines on stderr
  // (stdout carries one line per callback), and no signal handlers of its own (see stop below).
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry) => void process.stderr.write(formatJsonLine(entry))),
    telemetryOptions: { logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } } },
    shutdownSignals: [],
  });
  const connection = receiverConnection(config.temporal);
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const timelineServed =
    config.RECEIVER_ADMIN_PORT !== undefined && config.AGORA_STORAGE_PROFILES !== undefined;
  const receiver = await startReceiver({
    client,
    ...(timelineServed
      ? { timeline: loadTimeline().timelineRenderer(client, cliSettings(), config.AGORA_STORAGE_PROFILES!) }
      : {}),
    secrets: config.AGORA_NCS_SECRETS,
    host: config.RECEIVER_HOST,
    port: config.RECEIVER_PORT,
    ...(config.RECEIVER_ADMIN_PORT !== undefined
      ? { adminPort: config.RECEIVER_ADMIN_PORT, adminHost: config.RECEIVER_ADMIN_HOST }
      : {}),
    maxBodyBytes: config.RECEIVER_MAX_BODY_BYTES,
    signalTimeoutMs: config.RECEIVER_SIGNAL_TIMEOUT_MS,
    replayWindowMs: config.RECEIVER_REPLAY_WINDOW_SECONDS * 1000,
    futureSkewMs: config.RECEIVER_FUTURE_SKEW_SECONDS * 1000,
    maxRememberedNotices: config.RECEIVER_MAX_REMEMBERED_NOTICES,
    log: out,
  });
  writeLine(
    `receiver: listening on ${receiver.url}${NCS_PATH}, probes on ${receiver.adminUrl}${timelineServed ? `, timelines at ${receiver.adminUrl}/captures/<workflowId>/timeline` : ''} (Temporal ${describeTemporalTarget(config.temporal)}, ${config.AGORA_NCS_SECRETS.length} secret(s))\n`,
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      writeLine(`receiver: ${signal} again, exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    writeLine(`receiver: ${signal}, finishing in-flight requests\n`);
    void receiver
      .close()
      .then(() => connection.close())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  if (e instanceof ReceiverConfigError) {
    process.stderr.write(`receiver: ${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`receiver: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
