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

/** Agora 406 vendor_over_load: 50 concurrent tasks per App ID; frees when some task ends. */
export const QUOTA_EXCEEDED = 'AgoraQuotaExceeded';

/** While QUEUED: wait this long between acquires, doubling up to the cap. */
export const QUEUED_RETRY = { initialMs: 5_000, maxMs: 60_000 };

/** Types that mean "this request will fail the same way again" (Agora's "fix; don't retry"). */
export const NON_RETRYABLE_TYPES = [
  'InvalidCaptureRequest',
  'StorageProfileNotFound',
  'WebhookSecretNotFound',
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
 * Refusals of a repeated start that prove no session runs on its resourceId: Agora answers
 * 201/7 ("already started") for a running session before either, so 433 (the resource
 * expired) and 53 (another resourceId holds the channel and uid) each say none runs on this
 * one. Any other refusal (429, 401 after a secret rotation, 400) is about the request, and
 * proves nothing about a session an earlier start may have created (session.ts, reaper.ts).
 */
export const NOTHING_RUNS_TYPES = ['AgoraResourceExpired', 'AgoraTaskConflict'];

/**
 * A local activity (acquire) waits out a retry backoff longer than this on a workflow timer
 * instead of inside the workflow task: the happy path stays one task, a task is never held
 * open across a long backoff (sdk-core warns past 5 s), and the capture's phase reaches the
 * UI between attempts.
 */
const LOCAL_RETRY_THRESHOLD = '1s';

/**
 * acquire: Agora's generic recipe is 1 s, 3 s, 6 s; 429/5xx retried a little longer. 406 (the
 * concurrent-task quota) is not retried here: the workflow shows QUEUED and waits for a slot.
 * Run as a local activity (see session.ts), so the options suit both kinds.
 */
export const acquireOptions: ActivityOptions & LocalActivityOptions = onAgoraQueue({
  startToCloseTimeout: '20s',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '20s',
    maximumAttempts: 6,
    nonRetryableErrorTypes: [...NON_RETRYABLE_TYPES, QUOTA_EXCEEDED],
  },
  localRetryThreshold: LOCAL_RETRY_THRESHOLD,
  summary: 'acquire a recording resource',
});

/**
 * start: Agora says 3 s, 6 s, 9 s with the same resourceId, then a fresh acquire. The
 * workflow runs it in a non-cancellable scope (session.ts): a cancelled capture waits for the
 * start's answer, so it knows whether there is a session to stop.
 */
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
 * One round of stop: a few quick attempts. The workflow repeats rounds (STOP_ROUNDS) until the
 * session can no longer bill, so a long outage shows in the capture's phase, logs and gauge
 * instead of hiding inside one activity's retries. A 404 (the workflow waits out Agora's
 * failover window) and a resourceId that can never match are not retried here. Sync stop waits
 * up to ~20 s for uploads, hence the 40 s attempt timeout.
 */
export const stopOptions: ActivityOptions = onAgoraQueue({
  startToCloseTimeout: '40s',
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '10s',
    maximumAttempts: 3,
    nonRetryableErrorTypes: ['AgoraNotFound', 'AgoraResourceMismatch'],
  },
  summary: 'stop the Agora session',
});

/** Between stop rounds: 30 s doubling to 10 minutes, until the session's resource expires. */
export const STOP_ROUNDS = { initialMs: 30_000, maxMs: 600_000 };
