/**
 * The build's second step (`npm run build`, after tsc): bundles the compiled workflows once and
 * writes dist/workflow-bundle.js, which the worker loads instead of bundling at every start.
 * Runs from dist/ only, so the bundle is made of the same compiled code the image ships.
 */
import { writeFileSync } from 'node:fs';
import { DefaultLogger } from '@temporalio/worker';
import { bundleCaptureWorkflows, PREBUILT_BUNDLE_PATH, RUNS_FROM_BUILD } from './workflow-bundle';

async function main(): Promise<void> {
  if (!RUNS_FROM_BUILD) throw new Error('run the compiled file: node dist/worker/build-bundle.js');
  const { code } = await bundleCaptureWorkflows(new DefaultLogger('WARN'));
  writeFileSync(PREBUILT_BUNDLE_PATH, code);
  process.stdout.write(`workflow bundle: ${PREBUILT_BUNDLE_PATH} (${Math.round(code.length / 1024)} KiB)\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`build-bundle: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
