/**
 * The worker's Runtime: its logger (JSON lines or the SDK's text) and, when configured, the
 * Prometheus endpoint that serves the SDK's `temporal_*` metrics and the product's
 * `agora_capture_*` metrics (emitted through the SDK's metric meters, so one scrape target
 * per worker). Must run before anything creates the Runtime.
 */
import {
  DefaultLogger,
  type LogEntry,
  type LogLevel,
  Runtime,
  type RuntimeOptions,
} from '@temporalio/worker';
import { ConfigError, type WorkerConfig } from './config';

type TelemetryConfig = Pick<WorkerConfig, 'LOG_FORMAT' | 'LOG_LEVEL' | 'WORKER_METRICS_ADDRESS'>;

/** JSON.stringify replacer: Errors as {name, message, stack}, bigints as strings. */
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) {
    return { name: value.name, message: value.message, ...(value.stack ? { stack: value.stack } : {}) };
  }
  return value;
}

/** One log entry as one JSON line: level, timestamp, message, then the SDK's meta (workflowId, runId…). */
export function formatJsonLine(entry: LogEntry): string {
  const { message, level, timestampNanos } = entry;
  // The activity task token is a capability (it can complete the activity): keep it out of logs.
  const { taskToken: _taskToken, ...meta } = entry.meta ?? {};
  const timestamp = new Date(Number(timestampNanos / 1_000_000n)).toISOString();
  let line: string;
  try {
    line = JSON.stringify({ timestamp, level, message, ...meta }, replacer);
  } catch {
    // Circular meta: keep the line, drop what cannot be serialised.
    line = JSON.stringify({ timestamp, level, message, metaError: 'meta not serialisable' });
  }
  return `${line}\n`;
}

/** A logger writing one JSON object per line to `write` (stdout by default). */
export function jsonLogger(
  level: LogLevel,
  write: (line: string) => void = (l) => void process.stdout.write(l),
): DefaultLogger {
  return new DefaultLogger(level, (entry) => write(formatJsonLine(entry)));
}

export function runtimeOptions(config: TelemetryConfig): RuntimeOptions {
  const logger =
    config.LOG_FORMAT === 'json' ? jsonLogger(config.LOG_LEVEL) : new DefaultLogger(config.LOG_LEVEL);
  return {
    logger,
    telemetryOptions: {
      // Forward the Rust core's own logs (WARN and up) to the logger above, so they are JSON too.
      logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } },
      ...(config.WORKER_METRICS_ADDRESS
        ? { metrics: { prometheus: { bindAddress: config.WORKER_METRICS_ADDRESS } } }
        : {}),
    },
  };
}

/**
 * Installs the process-wide Runtime from the worker's config. A metrics address it cannot
 * listen on (in use, not this host's) is a configuration error naming the variable, not a crash.
 */
export function installRuntime(config: TelemetryConfig): Runtime {
  try {
    return Runtime.install(runtimeOptions(config));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (config.WORKER_METRICS_ADDRESS && /prometheus|metrics exporter/i.test(message))
      throw new ConfigError(
        `invalid worker configuration:\n  WORKER_METRICS_ADDRESS: cannot serve /metrics on ${config.WORKER_METRICS_ADDRESS} (${message})`,
      );
    throw err;
  }
}

/**
 * A lifecycle line (e.g. "worker polling") that is written whatever LOG_LEVEL says: operators
 * and tests wait for it. JSON when LOG_FORMAT=json, plain text otherwise.
 */
export function announce(
  config: Pick<WorkerConfig, 'LOG_FORMAT'>,
  message: string,
  meta: Record<string, unknown>,
): void {
  if (config.LOG_FORMAT === 'json') {
    process.stdout.write(
      formatJsonLine({ level: 'INFO', message, meta, timestampNanos: BigInt(Date.now()) * 1_000_000n }),
    );
  } else {
    const pairs = Object.entries(meta).map(([k, v]) => `${k}=${String(v)}`);
    console.log([message, ...pairs].join(' '));
  }
}
