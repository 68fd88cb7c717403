/**
 * Prepares a fresh Temporal server for captures the way an operator does: by running the
 * product's own `agora-capture setup` (namespace, search attributes, sweep schedule) against
 * it, then waiting until visibility queries accept the search attributes (SQL visibility
 * registers them at once; the wait only guards a slow server).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { CAPTURE_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { connectCloseSafe } from '../../client/grpc-retry';

const ROOT = path.join(__dirname, '..', '..');

/** Runs `bin/agora-capture setup` on `address` and waits until queries accept the attributes. */
export async function prepareCaptureServer(address: string, namespace = 'default'): Promise<void> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [path.join(ROOT, 'bin', 'agora-capture'), 'setup'],
    { cwd: ROOT, env: { ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace } },
  );
  process.stderr.write(stdout.replace(/^/gm, 'agora-capture setup: '));
  const conn = await connectCloseSafe({ address });
  try {
    const query = CAPTURE_SEARCH_ATTRIBUTES.map((k) => `${k.name} = 'probe'`).join(' AND ');
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await conn.workflowService.countWorkflowExecutions({ namespace, query });
        return;
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    await conn.close();
  }
}
