import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { installTestRuntime, workflowBundle } from '../helpers/harness';
import { HISTORIES_DIR } from '../helpers/keep-history';

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
        readFileSync(path.join(HISTORIES_DIR, f), 'utf8').includes('"reconcileManifest"'),
    );
    expect(reconciling.length).toBeGreaterThanOrEqual(6);
  });

  it.each(files)('replays %s without nondeterminism', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, path.basename(file));
  });
});
