/**
 * The workflow bundles the bench's workers load, built once in the bench process before any
 * worker starts. Production loads a prebuilt bundle (`npm run build`); bundling inside each worker
 * at start-up would leave webpack's heap resident in every worker and inflate its RSS, the
 * product's and the baselines' alike. Both sides are treated the same: each worker (still run
 * from source under tsx) gets its bundle's path in WORKER_WORKFLOW_BUNDLE_PATH.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { bundleCaptureWorkflows } from '../../worker/workflow-bundle';

export interface BenchBundles {
  /** The product's bundle: the same bundleCaptureWorkflows() that `npm run build` runs. */
  product: string;
  /** bench/baseline/workflows.ts, bundled the way Worker.create({ workflowsPath }) would. */
  baseline: string;
  /** Deletes the files. */
  remove(): void;
}

export async function prebuildBundles(): Promise<BenchBundles> {
  const dir = mkdtempSync(path.join(tmpdir(), 'agora-capture-bench-bundles-'));
  const logger = new DefaultLogger('WARN');
  try {
    const product = path.join(dir, 'product-workflows.js');
    writeFileSync(product, (await bundleCaptureWorkflows(logger)).code);
    const baseline = path.join(dir, 'baseline-workflows.js');
    const workflowsPath = path.join(__dirname, '..', 'baseline', 'workflows.ts');
    writeFileSync(baseline, (await bundleWorkflowCode({ workflowsPath, logger })).code);
    return { product, baseline, remove: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
