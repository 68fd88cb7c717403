/**
 * The workflow bundles the bench's workers load, built once in the bench process before any
 * worker starts. Production loads a prebuilt bundle (`npm run build`); bundling inside each worker
 * at start-up would leave webpack's heap resident in every worker and inflate its RSS, the
 * product's and the baselines' alike. Both sides are treated the same: each worker gets its
 * bundle's path in WORKER_WORKFLOW_BUNDLE_PATH.
 *
 * Both bundles are made from the run's compiled JavaScript (bench/lib/compiled.ts), as
 * `npm run build` makes dist/workflow-bundle.js from dist/: the product's by the compiled
 * `bundleCaptureWorkflows()` itself. Bundled from the TypeScript sources instead, webpack
 * resolves packages differently (an `import` picks a package's ES module build, the compiled
 * `require` its CommonJS build: zod's differ by ~0.7 MB) and the source map is made by another
 * loader, so the bench's worker would not load the bundle the image ships.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import type * as WorkflowBundle from '../../worker/workflow-bundle';
import type { CompiledProcesses } from './compiled';

export interface BenchBundles {
  /** The product's bundle: the compiled bundleCaptureWorkflows() that `npm run build` runs. */
  product: string;
  /** bench/baseline/workflows.ts compiled, bundled the way Worker.create({ workflowsPath }) would. */
  baseline: string;
  /** Deletes the files. */
  remove(): void;
}

export async function prebuildBundles(js: CompiledProcesses): Promise<BenchBundles> {
  const dir = mkdtempSync(path.join(tmpdir(), 'agora-capture-bench-bundles-'));
  const logger = new DefaultLogger('WARN');
  try {
    const product = path.join(dir, 'product-workflows.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a file compiled at run time
    const compiled = require(js.script('worker/workflow-bundle.ts')) as typeof WorkflowBundle;
    if (!compiled.RUNS_FROM_BUILD) throw new Error('the compiled workflow-bundle did not run as built');
    writeFileSync(product, (await compiled.bundleCaptureWorkflows(logger)).code);
    const baseline = path.join(dir, 'baseline-workflows.js');
    const workflowsPath = js.script('bench/baseline/workflows.ts');
    writeFileSync(baseline, (await bundleWorkflowCode({ workflowsPath, logger })).code);
    return { product, baseline, remove: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
