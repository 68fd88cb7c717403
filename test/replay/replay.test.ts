import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { installTestRuntime, workflowBundle } from '../helpers/harness';
import { HISTORIES_DIR } from '../helpers/keep-history';

const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'));

// Histories recorded from the integration tests (npm run record-histories) must replay
// against today's workflow code: a change that would break running captures fails here.
describe('recorded capture histories replay on the current workflow code', () => {
  beforeAll(() => installTestRuntime());

  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  it.each(files)('replays %s without nondeterminism', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, file);
  });
});
