import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { installTestRuntime, workflowBundle } from '../helpers/harness';
import { HISTORIES_DIR } from '../helpers/keep-history';
import {
  ACQUIRE_OUTLASTS_OUTAGE,
  ANNOUNCE_LISTED_FILES,
  CONFIRM_AGORA_END,
  COMPENSATION_ADOPTS_SID,
  DELIVERY_RULES,
  DRAIN_WHILE_STOPPING,
  EXIT_ENDS_STOP_ROUNDS,
  HANDOFF_RECHECKS,
  UNKNOWN_START_NEEDS_PROOF,
  ROLLOVER_STOPS_BESIDE,
  STOPS_SIDE_BY_SIDE,
  LEAN_HISTORY,
  PAUSE_ENDS_SEGMENT_FIRST,
  PAUSE_UNTIL_SESSION,
  ROLLOVER_ONLY_BEFORE_EXPIRY,
  START_AT_AGORA_TIME,
  STOP_BEFORE_START,
  WAIT_FOR_PREDECESSOR,
  WORKFLOW_ID_RULE,
} from '../../workflows/patches';

/** Patches asked only where their change applies (patches.ts), not in every run. */
const ASKED_ON_A_RARE_PATH = [
  COMPENSATION_ADOPTS_SID,
  WORKFLOW_ID_RULE,
  DELIVERY_RULES,
  ANNOUNCE_LISTED_FILES,
  STOP_BEFORE_START,
  DRAIN_WHILE_STOPPING,
  START_AT_AGORA_TIME,
  ROLLOVER_ONLY_BEFORE_EXPIRY,
  ACQUIRE_OUTLASTS_OUTAGE,
  PAUSE_ENDS_SEGMENT_FIRST,
  PAUSE_UNTIL_SESSION,
  CONFIRM_AGORA_END,
  WAIT_FOR_PREDECESSOR,
  EXIT_ENDS_STOP_ROUNDS,
  UNKNOWN_START_NEEDS_PROOF,
  ROLLOVER_STOPS_BESIDE,
  STOPS_SIDE_BY_SIDE,
  HANDOFF_RECHECKS,
];

// Top level: histories recorded on today's code paths. Subfolders: histories recorded before a
// patch (workflows/patches.ts), kept so captures running the old path stay replayable.
const files = readdirSync(HISTORIES_DIR, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.json'))
  .sort();

// Histories recorded from the integration tests (npm run record-histories) must replay
// against today's workflow code: a change that would break running captures fails here.
describe('recorded capture histories replay on the current workflow code', () => {
  beforeAll(() => installTestRuntime());

  it('has recorded histories of the current and the pre-patch code paths', () => {
    expect(files.filter((f) => !f.includes(path.sep)).length).toBeGreaterThanOrEqual(6);
    // Before the state machine (legacy/, patch capture-machine), on both sides of first-task-v2.
    expect(files.filter((f) => f.startsWith(`pre-machine${path.sep}`)).length).toBeGreaterThanOrEqual(6);
    expect(files.filter((f) => f.startsWith(`first-task-v1${path.sep}`)).length).toBeGreaterThanOrEqual(6);
    // Before the reconciled manifest (patch reconciled-manifest), and after it: the new path replays too.
    expect(files.filter((f) => f.startsWith(`pre-manifest${path.sep}`)).length).toBeGreaterThanOrEqual(6);
    const reconciling = files.filter(
      (f) =>
        !f.includes(path.sep) &&
        // An ordinary activity before lean-history; the final one is a local activity since.
        /"reconcileManifest"|"core_local_activity"/.test(readFileSync(path.join(HISTORIES_DIR, f), 'utf8')),
    );
    expect(reconciling.length).toBeGreaterThanOrEqual(6);
    // Before the leaner history (patch lean-history): one marker per release, one upsert per change.
    expect(files.filter((f) => f.startsWith(`pre-lean${path.sep}`)).length).toBeGreaterThanOrEqual(6);
    // A synchronous start whose awaitStart handler still ran its own timer (no callerBoundsWait).
    expect(files.filter((f) => f.startsWith(`start-timer${path.sep}`)).length).toBeGreaterThanOrEqual(1);
  });

  // AwaitStartArgs.callerBoundsWait: the client bounds the wait, the handler starts no timer.
  it("a synchronous start from today's client records no timer before its Agora start", () => {
    const { events } = JSON.parse(
      readFileSync(path.join(HISTORIES_DIR, 'sync-start-stop-update.json'), 'utf8'),
    ) as {
      events: {
        eventType: string;
        activityTaskScheduledEventAttributes?: { activityType?: { name?: string } };
      }[];
    };
    const start = events.findIndex(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'start',
    );
    expect(start).toBeGreaterThan(0);
    expect(events.slice(0, start).map((e) => e.eventType)).not.toContain('EVENT_TYPE_TIMER_STARTED');
    const old = JSON.parse(
      readFileSync(path.join(HISTORIES_DIR, 'start-timer', 'sync-start-stop-update.json'), 'utf8'),
    ) as { events: { eventType: string }[] };
    expect(old.events.map((e) => e.eventType)).toContain('EVENT_TYPE_TIMER_STARTED');
  });

  // What lean-history promises, read from the histories recorded on today's code.
  const current = files.filter((f) => !f.includes(path.sep) && f !== 'invalid-request.json');
  it.each(current)('%s records one lean-history marker and never two upserts in a row', (file) => {
    const { events } = JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8')) as {
      events: {
        eventType: string;
        markerRecordedEventAttributes?: {
          markerName?: string;
          details?: Record<string, { payloads?: { data?: string }[] }>;
        };
        upsertWorkflowSearchAttributesEventAttributes?: { searchAttributes?: { indexedFields?: object } };
      }[];
    };
    const patchIds = events
      .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
      .map((e) => {
        const data = e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data ?? '';
        return (JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { id: string }).id;
      });
    // Every run records lean-history once; a later patch asked only on a rare path adds its own
    // marker to that path's histories alone.
    expect(patchIds.filter((id) => !ASKED_ON_A_RARE_PATH.includes(id))).toEqual([LEAN_HISTORY]);
    // Changes are gathered until the next command: never one upsert of ours right after another.
    // (sdk-core's own TemporalChangeVersion upsert follows each patch marker and is not ours.)
    const ours = (e: (typeof events)[number]) =>
      e.eventType === 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES' &&
      !Object.keys(
        e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {},
      ).includes('TemporalChangeVersion');
    events.forEach((e, i) => {
      const next = events[i + 1];
      if (next) expect(ours(e) && ours(next), `events ${i + 1} and ${i + 2} of ${file}`).toBe(false);
    });
  });

  it.each(files)('replays %s without nondeterminism', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, path.basename(file));
  });
});
