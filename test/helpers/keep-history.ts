/**
 * With RECORD_HISTORIES=1 (`npm run record-histories`), integration tests save the history of
 * each code path under test/replay/histories, which the replay test then replays on every run.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export const HISTORIES_DIR = path.join(__dirname, '..', 'replay', 'histories');

export async function keepHistory(name: string, client: Client, workflowId: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), historyToJSON(history));
}
