/**
 * State of the running workflow, for the workflow modules the worker shares between workflows.
 *
 * The worker preloads every capture workflow module once per worker thread
 * (worker/workflow-bundle.ts), so a module-level `let` would be one variable for every capture
 * the thread runs. The SDK gives each workflow its own set of globals in its reusable V8
 * context, swapped in before each of the workflow's activations, so an object kept on
 * `globalThis` under a private symbol is the running workflow's own, however its module was
 * loaded. Workflow code.
 */

/**
 * Returns a getter for the running workflow's own `T`, made by `init` on the workflow's first
 * use. Mutate the object it returns; `name` only labels the symbol (for debugging).
 */
export function workflowLocal<T extends object>(name: string, init: () => T): () => T {
  const key = Symbol(name);
  return () => {
    const globals = globalThis as unknown as Record<symbol, T | undefined>;
    return (globals[key] ??= init());
  };
}
