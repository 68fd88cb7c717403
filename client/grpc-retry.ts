/**
 * The SDK's gRPC retry interceptor (its policy unchanged: `defaultGrpcRetryOptions`), made safe
 * to close a connection under. The SDK schedules each retry on a timer that `Connection.close()`
 * does not clear; a retry that fires after the close asks the closed channel for a call, and
 * grpc-js throws "Channel has been shut down" from inside the timer: an uncaught exception that
 * ends the process (a CLI command that already printed its answer, a receiver shutting down, a
 * test file at teardown). Here a retry that finds the channel closed gets a call that never
 * starts: the abandoned request simply stops. A request made after the close still fails at
 * once, as before.
 */
import {
  Connection,
  type ConnectionOptions,
  type ConnectionPlugin,
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
} from '@temporalio/client';

type Interceptor = NonNullable<ConnectionOptions['interceptors']>[number];
type NextCall = Parameters<Interceptor>[1];
type CallInterface = ReturnType<NextCall>;

const SHUT_DOWN = 'Channel has been shut down';

/** A call that does nothing: what a retry gets once its channel is closed. */
function abandonedCall(): CallInterface {
  const nothing = () => {};
  return {
    cancelWithStatus: nothing,
    getPeer: () => '',
    start: nothing,
    sendMessageWithContext: nothing,
    sendMessage: nothing,
    startRead: nothing,
    halfClose: nothing,
    getAuthContext: () => null,
  };
}

/** The retry interceptor to give every grpc-js `Connection` (`interceptors: [...]`). */
export function closeSafeRetryInterceptor(): Interceptor {
  const retry = makeGrpcRetryInterceptor(defaultGrpcRetryOptions());
  return (options, nextCall) => {
    let first = true;
    return retry(options, (opts) => {
      if (first) {
        first = false;
        return nextCall(opts);
      }
      try {
        return nextCall(opts);
      } catch (e) {
        if (e instanceof Error && e.message === SHUT_DOWN) return abandonedCall();
        throw e;
      }
    });
  };
}

/**
 * The same retries as a connection plugin, for connections built where no interceptors can be
 * passed (`TestWorkflowEnvironment`): it installs {@link closeSafeRetryInterceptor} unless the
 * options already name their interceptors.
 */
export const closeSafeRetryPlugin: ConnectionPlugin = {
  name: 'agora-capture.close-safe-retries',
  configureConnection: (options) => ({
    ...options,
    interceptors: options.interceptors ?? [closeSafeRetryInterceptor()],
  }),
};

/**
 * `Connection.connect` with {@link closeSafeRetryInterceptor}: how every grpc-js connection in
 * this project is made (lint rejects a bare `Connection.connect`).
 */
export function connectCloseSafe(options: Omit<ConnectionOptions, 'interceptors'> = {}): Promise<Connection> {
  return Connection.connect({ ...options, interceptors: [closeSafeRetryInterceptor()] });
}

/** `Connection.lazy` with {@link closeSafeRetryInterceptor}. */
export function lazyCloseSafe(options: Omit<ConnectionOptions, 'interceptors'> = {}): Connection {
  return Connection.lazy({ ...options, interceptors: [closeSafeRetryInterceptor()] });
}
