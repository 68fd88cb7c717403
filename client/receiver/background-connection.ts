/**
 * The receiver's Temporal connection: the SDK's Rust client (`NativeConnection`, as the worker
 * uses), which costs the receiver less CPU per signal than grpc-js (bench `--only=callbacks`,
 * docs/benchmarks.md). `NativeConnection` has no lazy mode, and the receiver must start while
 * Temporal is down (it answers 503 and Agora resends): so this connects in the background,
 * retrying from 0.5 s up to every 5 s, and until it is connected every call fails at once with
 * UNAVAILABLE. Once connected, the Rust client reconnects by itself; while the server is
 * unreachable it retries each call for ~10 s before failing it (deadlines and abort signals do
 * not cut that short: see temporal-port.ts).
 */
import type {
  ConnectionLike,
  ConnectionPlugin,
  Metadata,
  OperatorService,
  WorkflowService,
} from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import { GRPC } from '../grpc-code';
import { connectionOptions, type TemporalConnectionSettings } from '../temporal-connection';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 5000;

/** The error a call gets before the first connection: shaped as a gRPC one, code UNAVAILABLE. */
function notConnected(address: string, last: unknown): Error {
  const why = last instanceof Error ? last.message : 'connecting';
  const details = `not connected to Temporal at ${address} yet (${why})`;
  return Object.assign(new Error(`14 UNAVAILABLE: ${details}`), {
    // The receiver answers 503 for UNAVAILABLE, so Agora resends.
    code: GRPC.UNAVAILABLE,
    details,
    // Read as grpc-js Metadata by the client's error handling (`metadata.get(key)`): none here.
    metadata: { get: (): unknown[] => [] },
  });
}

/** A service whose methods call the connected client's, or reject UNAVAILABLE before it exists. */
function forward<S extends object>(
  pick: (c: NativeConnection) => S,
  current: () => NativeConnection | undefined,
  unavailable: () => Error,
): S {
  return new Proxy({} as S, {
    get(_target, method) {
      // Not a thenable, and no symbols: only RPC names resolve to calls.
      if (typeof method !== 'string' || method === 'then') return undefined;
      return (...args: unknown[]) => {
        const c = current();
        if (!c) return Promise.reject(unavailable());
        const service = pick(c) as Record<string, (...a: unknown[]) => unknown>;
        return service[method]!.apply(service, args);
      };
    },
  });
}

/** A `ConnectionLike` for `new Client({ connection })` that connects in the background (see above). */
export class BackgroundConnection implements ConnectionLike {
  readonly plugins: ConnectionPlugin[] = [];
  readonly workflowService: WorkflowService;
  readonly operatorService: OperatorService;
  private native: NativeConnection | undefined;
  private lastError: unknown;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  private readonly connected: Promise<void>;
  private markConnected!: () => void;

  /** Starts connecting at once; never throws for an unreachable server. */
  constructor(private readonly options: NativeConnectionOptions & { address: string }) {
    this.connected = new Promise((resolve) => (this.markConnected = resolve));
    const current = () => this.native;
    const unavailable = () => notConnected(options.address, this.lastError);
    this.workflowService = forward((c) => c.workflowService, current, unavailable);
    this.operatorService = forward((c) => c.operatorService, current, unavailable);
    void this.connect(FIRST_RETRY_MS);
  }

  private async connect(nextDelayMs: number): Promise<void> {
    try {
      const native = await NativeConnection.connect(this.options);
      if (this.closed) return void (await native.close().catch(() => {}));
      this.native = native;
      this.markConnected();
    } catch (e) {
      this.lastError = e;
      if (this.closed) return;
      this.retry = setTimeout(() => void this.connect(Math.min(nextDelayMs * 2, MAX_RETRY_MS)), nextDelayMs);
    }
  }

  /** Resolves once connected (the first time). */
  async ensureConnected(): Promise<void> {
    await this.connected;
  }

  withDeadline<R>(deadline: number | Date, fn: () => Promise<R>): Promise<R> {
    return this.native ? this.native.withDeadline(deadline, fn) : fn();
  }

  withMetadata<R>(metadata: Metadata, fn: () => Promise<R>): Promise<R> {
    return this.native ? this.native.withMetadata(metadata, fn) : fn();
  }

  withAbortSignal<R>(abortSignal: AbortSignal, fn: () => Promise<R>): Promise<R> {
    return this.native ? this.native.withAbortSignal(abortSignal, fn) : fn();
  }

  /** Stops connecting and closes the connection, if there is one. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const native = this.native;
    this.native = undefined;
    await native?.close();
  }
}

/** The receiver's connection, from the same `TEMPORAL_*` settings as every other part. */
export function receiverConnection(settings: TemporalConnectionSettings): BackgroundConnection {
  return new BackgroundConnection(connectionOptions(settings));
}
