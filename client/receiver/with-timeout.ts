/** A time bound that holds even when the bounded work ignores its AbortSignal. */

/** Thrown by {@link withTimeout} when the time is up. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/**
 * Runs `fn` with a signal aborted after `ms`, and rejects with {@link TimeoutError} at that
 * moment even if `fn` has not settled: the gRPC client can sit in connection back-off without
 * looking at the signal, and Agora gives up on us after 10 s.
 */
export async function withTimeout<T>(ms: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ctrl = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new TimeoutError(`no answer within ${ms} ms`);
      ctrl.abort(err);
      reject(err);
    }, ms);
  });
  try {
    return await Promise.race([fn(ctrl.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
