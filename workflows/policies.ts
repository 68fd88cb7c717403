/**
 * Activity options and retry policies. The Agora client classifies each error once into a
 * failure `type`; these lists decide which types a retry cannot fix.
 */
import {
  type ActivityOptions,
  inWorkflowContext,
  type LocalActivityOptions,
  workflowInfo,
} from '@temporalio/workflow';
import { agoraTaskQueue } from './agora-task-queue';

/**
 * Puts an activity on the Agora task queue (rate-limited to the App ID's QPS by the workers).
 * A getter because the queue derives from the running workflow's own, known only at call time:
 * proxyActivities reads the options each time it schedules.
 */
function onAgoraQueue<T extends ActivityOptions>(options: T): T {
  return Object.defineProperty(options, 'taskQueue', {
    enumerable: true,
    get: () => (inWorkflowContext() ? agoraTaskQueue(workflowInfo().taskQueue) : undefined),
  });
}

/** Types that mean "this request will fail the same way again" (Agora's "fix; don't retry"). */
export const NON_RETRYABLE_TYPES = [
  'InvalidCaptureRequest',
  'StorageProfileNotFound',
  'WorkerConfigError',
  'AgoraInvalidParameter',
  'AgoraInvalidAppId',
  'AgoraInvalidChannel',
  'AgoraAccountInactive',
  'AgoraTaskConflict',
  'AgoraAlreadyStarted',
  'AgoraResourceExpired',
  'AgoraResourceMismatch',
  'AgoraTokenInvalid',
  'AgoraUnauthorized',
  'AgoraNotFound',
  'AgoraRouteNotFound',
  'AgoraBadRequest',
  'AgoraProtocolError',
  'AgoraAlreadyStopping',
  'AgoraNoRecordedData',
  'AgoraRequestInvalid',
];

/**
 * Types after which a start request may still have created a billed session
 * (timeouts, resets, 5xx, 206/65): the workflow must reconcile before walking away.
 */
export const START_OUTCOME_UNKNOWN_TYPES = [
  'AgoraServerError',
  'AgoraRequestNotCompleted',
  'AgoraNetworkError',
  'AgoraTimeout',
  'AgoraProtocolError',
  'UnexpectedActivityError',
  'ActivityTimeout',
];

/**
 * A local activity (acquire) waits out a retry backoff longer than this on a workflow timer
 * instead of inside the workflow task: the happy path stays one task, a task is never held
 * open across a long backoff (sdk-core warns past 5 s), and the capture's phase reaches the
 * UI between attempts.
 */
const LOCAL_RETRY_THRESHOLD = '1s';

/**
 * acquire: Agora's generic recipe is 1 s, 3 s, 6 s; 429/406/5xx retried a little longer.
 * Run as a local activity (see session.ts), so the options suit both kinds.
 */
export const acquireOptions: ActivityOptions & LocalActivityOptions = onAgoraQueue({
  startToCloseTimeout: '20s',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '20s',
    maximumAttempts: 6,
    nonRetryableErrorTypes: NON_RETRYABLE_TYPES,
  },
  localRetryThreshold: LOCAL_RETRY_THRESHOLD,
  summary: 'acquire a recording resource',
});

/** start: Agora says 3 s, 6 s, 9 s with the same resourceId, then a fresh acquire. */
export const startOptions: ActivityOptions = onAgoraQueue({
  startToCloseTimeout: '25s',
  retry: {
    initialInterval: '3s',
    backoffCoefficient: 2,
    maximumInterval: '9s',
    maximumAttempts: 4,
    nonRetryableErrorTypes: NON_RETRYABLE_TYPES,
  },
  summary: 'start screenshot capture',
});

export const queryOptions: ActivityOptions = onAgoraQueue({
  startToCloseTimeout: '15s',
  retry: {
    initialInterval: '5s',
    backoffCoefficient: 2,
    maximumInterval: '15s',
    maximumAttempts: 3,
    nonRetryableErrorTypes: NON_RETRYABLE_TYPES,
  },
  summary: 'query session health',
});

/**
 * stop saves money, so it keeps trying for a long time: everything is retried except a 404
 * (the workflow itself waits out Agora's failover window) and a resourceId that can never match.
 * Sync stop waits up to ~20 s for uploads, hence the 40 s attempt timeout.
 */
export const stopOptions: ActivityOptions = onAgoraQueue({
  startToCloseTimeout: '40s',
  scheduleToCloseTimeout: '30m',
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '60s',
    nonRetryableErrorTypes: ['AgoraNotFound', 'AgoraResourceMismatch'],
  },
  summary: 'stop the Agora session',
});
