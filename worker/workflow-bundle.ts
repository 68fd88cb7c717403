/**
 * How the capture workflows are bundled, in one place: the worker, the tests, the replay test
 * and the bench must all run the same bundle shape.
 */
import path from 'node:path';
import { bundleWorkflowCode, type Logger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

export const WORKFLOWS_PATH = path.join(__dirname, '..', 'workflows', 'index.ts');

/**
 * Modules evaluated once per worker thread and shared by every capture instead of once per
 * capture. The request schema is the reason: building the zod schema (and zod itself) for each
 * new workflow was half of a capture's first workflow task (~20 ms CPU of ~45 ms) and ~1.4 MB
 * of memory per cached capture. Safe because the module is pure and keeps no per-workflow
 * state. The SDK deep-freezes what a preloaded module exports, and zod builds schema members
 * lazily on first use, so the module must not export schema objects (only functions and
 * constants): test/unit/request-preload.test.ts checks it.
 */
export const PRELOAD_MODULES = [path.join(__dirname, '..', 'workflows', 'request.ts')];

export function bundleCaptureWorkflows(logger?: Logger): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    preloadModules: PRELOAD_MODULES,
    ...(logger ? { logger } : {}),
  });
}
