/**
 * Prepares a Temporal namespace for agora-capture, idempotently: the capture's search
 * attributes (through the OperatorService, so it works on any server, including one the
 * product did not start) and the Schedule that runs the sweep workflow. A second run changes
 * nothing and says so. Used by `agora-capture setup`, `npm run dev`, the tests and compose.
 */
import { type Client, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { SearchAttributeType } from '@temporalio/common';
import { CAPTURE_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { GRPC, grpcCode } from './grpc-code';
import { SWEEP_WORKFLOW_TYPE } from '../workflows/reap-target';

/** Default sweep interval (seconds). */
export const DEFAULT_SWEEP_INTERVAL_SECONDS = 60;

/** Temporal's IndexedValueType numbers, per SDK search attribute type. */
const INDEXED_VALUE_TYPE: Record<string, number> = {
  [SearchAttributeType.TEXT]: 1,
  [SearchAttributeType.KEYWORD]: 2,
  [SearchAttributeType.INT]: 3,
  [SearchAttributeType.DOUBLE]: 4,
  [SearchAttributeType.BOOL]: 5,
  [SearchAttributeType.DATETIME]: 6,
  [SearchAttributeType.KEYWORD_LIST]: 7,
};

export interface SetupOptions {
  namespace: string;
  /** The task queue the product's workers poll: the sweep runs there, with their Agora credentials. */
  taskQueue: string;
  sweepIntervalSeconds?: number;
  /** Retention of a namespace setup has to create (days; default 7). An existing namespace is left as it is. */
  retentionDays?: number;
}

export type Change = 'created' | 'updated' | 'found';

export interface SetupReport {
  namespace: { name: string; change: Change };
  searchAttributes: { name: string; change: Change }[];
  schedule: { id: string; change: Change; intervalSeconds: number; taskQueue: string };
}

/** The sweep schedule's id: one per task queue (each deployment sweeps its own captures). */
export function sweepScheduleId(taskQueue: string): string {
  return `agora-capture-sweep/${taskQueue}`;
}

export class SetupError extends Error {
  override name = 'SetupError';
}

async function ensureSearchAttributes(
  client: Client,
  namespace: string,
): Promise<SetupReport['searchAttributes']> {
  const ops = client.connection.operatorService;
  const { customAttributes } = await ops.listSearchAttributes({ namespace });
  const report: SetupReport['searchAttributes'] = [];
  const missing: Record<string, number> = {};
  for (const key of CAPTURE_SEARCH_ATTRIBUTES) {
    const want = INDEXED_VALUE_TYPE[key.type] ?? 0;
    const have = customAttributes?.[key.name];
    if (have === undefined || have === null) {
      missing[key.name] = want;
      report.push({ name: key.name, change: 'created' });
    } else if (Number(have) !== want) {
      throw new SetupError(
        `search attribute ${key.name} exists in namespace ${namespace} with another type (IndexedValueType ${String(have)}, want ${want}); remove it or use another namespace`,
      );
    } else {
      report.push({ name: key.name, change: 'found' });
    }
  }
  if (Object.keys(missing).length > 0) {
    await ops.addSearchAttributes({ namespace, searchAttributes: missing });
    // Registration is asynchronous on some servers: wait until queries can use the new keys.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const now = (await ops.listSearchAttributes({ namespace })).customAttributes ?? {};
      if (Object.keys(missing).every((k) => now[k] !== undefined)) break;
      if (Date.now() > deadline)
        throw new SetupError(`search attributes not visible after 30 s: ${Object.keys(missing).join(', ')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return report;
}

async function ensureSweepSchedule(
  client: Client,
  taskQueue: string,
  intervalSeconds: number,
): Promise<SetupReport['schedule']> {
  const id = sweepScheduleId(taskQueue);
  const every = intervalSeconds * 1000;
  const action = {
    type: 'startWorkflow' as const,
    workflowType: SWEEP_WORKFLOW_TYPE,
    workflowId: `sweep/${taskQueue}`,
    taskQueue,
    args: [{}],
    // A sweep that cannot run (no worker) must not pile up: the next one replaces it.
    workflowExecutionTimeout: Math.max(every * 10, 10 * 60_000),
  };
  const report = { id, intervalSeconds, taskQueue };
  const handle = client.schedule.getHandle(id);
  let current;
  try {
    current = await handle.describe();
  } catch (e) {
    if (!(e instanceof ScheduleNotFoundError)) throw e;
    await client.schedule.create({
      scheduleId: id,
      spec: { intervals: [{ every }] },
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1m' },
      memo: { purpose: 'agora-capture sweeper: stops Agora sessions left by closed captures' },
    });
    return { ...report, change: 'created' };
  }
  const interval = current.spec.intervals?.[0];
  const same =
    current.spec.intervals?.length === 1 &&
    Number(interval?.every) === every &&
    current.action.type === 'startWorkflow' &&
    current.action.workflowType === SWEEP_WORKFLOW_TYPE &&
    current.action.taskQueue === taskQueue;
  if (same) return { ...report, change: 'found' };
  await handle.update((prev) => ({ ...prev, spec: { intervals: [{ every }] }, action }));
  return { ...report, change: 'updated' };
}

/** Registers the namespace when it does not exist (a fresh production server has only "default"). */
async function ensureNamespace(client: Client, namespace: string, retentionDays: number): Promise<Change> {
  const svc = client.workflowService;
  try {
    await svc.describeNamespace({ namespace });
    return 'found';
  } catch (e) {
    if (grpcCode(e) !== GRPC.NOT_FOUND) throw e;
  }
  await svc.registerNamespace({
    namespace,
    workflowExecutionRetentionPeriod: msToTs(retentionDays * 86_400_000),
  });
  // The frontend learns new namespaces on its cache refresh (up to ~10 s).
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await client.connection.operatorService.listSearchAttributes({ namespace });
      return 'created';
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** The two services {@link missingSetup} reads: a client's or a worker's NativeConnection. */
export interface SetupReader {
  operatorService: Pick<Client['connection']['operatorService'], 'listSearchAttributes'>;
  workflowService: Pick<Client['workflowService'], 'describeSchedule'>;
}

/**
 * What `agora-capture setup` has not done in `namespace` yet: the capture search attributes
 * it lacks and, for `taskQueue`, the sweep schedule. Empty when prepared. Throws what the
 * server answers when it cannot tell (no namespace, no permission to read its attributes).
 */
export async function missingSetup(
  services: SetupReader,
  namespace: string,
  taskQueue: string,
): Promise<{ searchAttributes: string[]; schedule?: string }> {
  const { customAttributes } = await services.operatorService.listSearchAttributes({ namespace });
  const searchAttributes = CAPTURE_SEARCH_ATTRIBUTES.map((k) => k.name).filter(
    (name) => customAttributes?.[name] === undefined || customAttributes[name] === null,
  );
  const scheduleId = sweepScheduleId(taskQueue);
  try {
    await services.workflowService.describeSchedule({ namespace, scheduleId });
    return { searchAttributes };
  } catch (e) {
    if (grpcCode(e) !== GRPC.NOT_FOUND) throw e;
    return { searchAttributes, schedule: scheduleId };
  }
}

/** "search attributes A, B; sweep schedule S" for a message, or undefined when nothing is missing. */
export function describeMissingSetup(m: {
  searchAttributes: string[];
  schedule?: string;
}): string | undefined {
  const parts = [
    ...(m.searchAttributes.length ? [`search attributes ${m.searchAttributes.join(', ')}`] : []),
    ...(m.schedule ? [`sweep schedule ${m.schedule}`] : []),
  ];
  return parts.length ? parts.join('; ') : undefined;
}

/** Prepares `namespace`; throws SetupError for a conflict it must not resolve itself. */
export async function setupNamespace(client: Client, opts: SetupOptions): Promise<SetupReport> {
  const intervalSeconds = opts.sweepIntervalSeconds ?? DEFAULT_SWEEP_INTERVAL_SECONDS;
  if (!Number.isInteger(intervalSeconds) || intervalSeconds < 1)
    throw new SetupError(`sweep interval must be a whole number of seconds ≥ 1, got ${intervalSeconds}`);
  const namespace = await ensureNamespace(client, opts.namespace, opts.retentionDays ?? 7);
  const searchAttributes = await ensureSearchAttributes(client, opts.namespace);
  const schedule = await ensureSweepSchedule(client, opts.taskQueue, intervalSeconds);
  return { namespace: { name: opts.namespace, change: namespace }, searchAttributes, schedule };
}

/** The report as lines for a terminal: what was created, updated or already there. */
export function describeSetup(r: SetupReport, namespace: string): string[] {
  const lines = [`namespace ${namespace}: ${r.namespace.change === 'created' ? 'created' : 'exists'}`];
  lines.push(
    ...r.searchAttributes.map(
      (a) => `search attribute ${a.name}: ${a.change === 'created' ? 'created' : 'already registered'}`,
    ),
  );
  const what =
    r.schedule.change === 'created'
      ? 'created'
      : r.schedule.change === 'updated'
        ? 'updated'
        : 'already in place';
  lines.push(
    `sweep schedule ${r.schedule.id}: ${what} (every ${r.schedule.intervalSeconds}s on task queue ${r.schedule.taskQueue})`,
  );
  const changed =
    r.namespace.change !== 'found' ||
    r.searchAttributes.some((a) => a.change !== 'found') ||
    r.schedule.change !== 'found';
  lines.push(
    changed
      ? `namespace ${namespace} is ready`
      : `namespace ${namespace} was already set up: nothing changed`,
  );
  return lines;
}
