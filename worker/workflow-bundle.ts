/**
 * How the capture workflows are bundled, in one place: the worker, the build (`npm run build`),
 * the tests, the replay test and the bench must all run the same bundle shape.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  type BundleOptions,
  bundleWorkflowCode,
  type Logger,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { ConfigError, type WorkerConfig } from './config';

/**
 * `.ts` when this module runs from source (tsx, vitest), `.js` when it runs compiled from dist/:
 * either way the workflow sources sit beside this folder in the same tree.
 */
export const RUNS_FROM_BUILD = path.extname(__filename) === '.js';
const EXT = RUNS_FROM_BUILD ? '.js' : '.ts';

export const WORKFLOWS_PATH = path.join(__dirname, '..', 'workflows', `index${EXT}`);

/**
 * Modules evaluated once per worker thread and shared by every workflow it runs, instead of once
 * per workflow: the request schema, then every workflow module (index.ts and all it imports).
 * Evaluating them for each capture cost its first workflow task time and CPU (the zod schema
 * alone was ~20 ms of ~45 ms; the ~60 modules after it ~5 ms more, which start latency waits
 * for) and memory for every cached capture.
 *
 * Safe because no workflow module keeps state at module level: what must be the running
 * workflow's own lives in workflows/workflow-local.ts, and test/unit/workflow-preload.test.ts
 * checks every source for module-level `let`, `var` and collections. The SDK deep-freezes what
 * a preloaded module exports; zod builds schema members lazily on first use, so no module may
 * export a schema object (the same test checks it). Replay and every integration test run this
 * bundle.
 */
export const PRELOAD_MODULES = [path.join(__dirname, '..', 'workflows', `request${EXT}`), WORKFLOWS_PATH];

/**
 * Workflow interceptor modules every capture bundle carries: one search attribute upsert per
 * workflow task (workflows/search-attribute-batch.ts).
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [
  path.join(__dirname, '..', 'workflows', `search-attribute-batch${EXT}`),
];

/**
 * Where `npm run build` writes the prebuilt bundle: dist/workflow-bundle.js, i.e. beside the
 * compiled worker/ folder. From source this path does not exist (there is no build beside it).
 */
export const PREBUILT_BUNDLE_PATH = path.join(__dirname, '..', 'workflow-bundle.js');

/**
 * zod's ES module build (`zod/index.js`), where the compiled workflows' `require('zod')` would
 * resolve to its CommonJS build. Webpack drops unused modules only from ES modules marked free
 * of side effects, as zod's are: from the CommonJS build it bundled every one of zod's ~40
 * locales, which no workflow uses (zod's default error map imports English directly). The
 * bundle built from dist/ shrinks from ~2.6 MB to ~1.8 MB, and so does its source map, which
 * each worker thread holds parsed for stack traces: ~12 MB less RSS on average for a worker
 * holding 300 captures (docs/benchmarks.md, "Capacity").
 */
const ZOD_ESM = path.join(path.dirname(require.resolve('zod/package.json')), 'index.js');

/**
 * The webpack settings this bundle adds to the SDK's:
 * - the inline source map keeps mappings and file names but not the sources' text (webpack's
 *   `inline-nosources-source-map`): stack traces (workflow failures, the UI's stack trace tab)
 *   still name the TypeScript file, line and column, and each worker stops holding ~1.2 MB of
 *   source text several times over (the bundle file, the parsed map in the main thread, the
 *   workflow thread's copy and its source map consumer): ~15–25 MB of RSS per worker;
 * - zod from its ES module build ({@link ZOD_ESM}).
 */
const CAPTURE_WEBPACK: NonNullable<BundleOptions['webpackConfigHook']> = (config) => ({
  ...config,
  devtool: 'inline-nosources-source-map',
  resolve: { ...config.resolve, alias: { ...aliasesOf(config.resolve?.alias), zod$: ZOD_ESM } },
  optimization: { ...config.optimization, usedExports: true, sideEffects: true },
});

/** The SDK's aliases (an object; webpack also allows an array, which this keeps too). */
function aliasesOf(alias: unknown): Record<string, unknown> {
  if (alias === undefined) return {};
  if (Array.isArray(alias))
    return Object.fromEntries(alias.map((a: { name: string; alias: unknown }) => [a.name, a.alias]));
  return alias as Record<string, unknown>;
}

export function bundleCaptureWorkflows(logger?: Logger): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    preloadModules: PRELOAD_MODULES,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    webpackConfigHook: CAPTURE_WEBPACK,
    ...(logger ? { logger } : {}),
  });
}

/** The workflow code a worker runs: the prebuilt bundle's path, or undefined to bundle at start-up. */
export type WorkflowCodeChoice = { prebuilt: string } | { prebuilt?: undefined };

/**
 * Applies WORKER_WORKFLOW_BUNDLE and WORKER_WORKFLOW_BUNDLE_PATH (see worker/config.ts). Prebuilt
 * skips the ~seconds of webpack at every start (and webpack's heap, which stays resident) and runs
 * exactly the code that was built (what the image ships). `bundlePath` is the default bundle's
 * path, used when WORKER_WORKFLOW_BUNDLE_PATH is unset.
 */
export function chooseWorkflowCode(
  config: Pick<WorkerConfig, 'WORKER_WORKFLOW_BUNDLE' | 'NODE_ENV'> &
    Partial<Pick<WorkerConfig, 'WORKER_WORKFLOW_BUNDLE_PATH'>>,
  bundlePath: string = PREBUILT_BUNDLE_PATH,
  exists: (p: string) => boolean = existsSync,
): WorkflowCodeChoice {
  const mode = config.WORKER_WORKFLOW_BUNDLE;
  const named = config.WORKER_WORKFLOW_BUNDLE_PATH;
  if (named !== undefined) {
    // An explicit path is a request for that file: never fall back to bundling silently.
    if (mode === 'source')
      throw new ConfigError(
        `invalid worker configuration:\n  WORKER_WORKFLOW_BUNDLE_PATH: names a bundle to load, but ` +
          `WORKER_WORKFLOW_BUNDLE=source bundles workflows/ at start-up (unset one of them)`,
      );
    if (!exists(named))
      throw new ConfigError(
        `invalid worker configuration:\n  WORKER_WORKFLOW_BUNDLE_PATH: no workflow bundle at ${named}`,
      );
    return { prebuilt: named };
  }
  if (mode === 'source') return {};
  if (exists(bundlePath)) return { prebuilt: bundlePath };
  if (mode === 'prebuilt' || config.NODE_ENV === 'production') {
    const why = mode === 'prebuilt' ? 'WORKER_WORKFLOW_BUNDLE=prebuilt' : 'NODE_ENV=production';
    throw new ConfigError(
      `invalid worker configuration:\n  WORKER_WORKFLOW_BUNDLE: ${why} needs the prebuilt workflow bundle, ` +
        `not found at ${bundlePath} (run "npm run build", or set WORKER_WORKFLOW_BUNDLE=source)`,
    );
  }
  return {};
}
