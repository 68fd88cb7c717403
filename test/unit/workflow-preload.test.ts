import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ZodType } from 'zod';
import { PRELOAD_MODULES } from '../../worker/workflow-bundle';

// The worker preloads every workflow module once per thread and shares it between the captures
// the thread runs (worker/workflow-bundle.ts). Two things would then break captures: state at
// module level (one variable for all captures; per-workflow state goes through
// workflows/workflow-local.ts), and an exported zod schema (the SDK deep-freezes exports; zod
// builds members on first use, so the first capture to validate would fail with "object is not
// extensible"). Replay and the integration tests run the preloaded bundle itself.
const WORKFLOWS = path.join(__dirname, '..', '..', 'workflows');

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(path.join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [path.join(dir, e.name)]
        : [],
  );

const COLLECTIONS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array']);

/** Module-level declarations that would hold state shared by every workflow of a thread. */
function moduleState(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    const isConst = (st.declarationList.flags & ts.NodeFlags.Const) !== 0;
    for (const d of st.declarationList.declarations) {
      const name = d.name.getText(sf);
      if (!isConst) found.push(`${name}: a module-level let/var`);
      const init = d.initializer;
      if (init && ts.isNewExpression(init) && COLLECTIONS.has(init.expression.getText(sf)))
        found.push(`${name}: a module-level ${init.expression.getText(sf)}`);
    }
  }
  return found;
}

describe('the preloaded workflow modules', () => {
  it('are the request schema and the workflows entry point with everything it imports', () => {
    expect(PRELOAD_MODULES.map((m) => path.relative(WORKFLOWS, m).replace(/\\/g, '/'))).toEqual([
      expect.stringMatching(/^request\.[jt]s$/),
      expect.stringMatching(/^index\.[jt]s$/),
    ]);
  });

  it('keep no state at module level (per-workflow state goes through workflowLocal)', () => {
    const offenders = sources(WORKFLOWS).flatMap((f) =>
      moduleState(f).map((what) => `${path.relative(WORKFLOWS, f)}: ${what}`),
    );
    expect(offenders).toEqual([]);
  });

  it('are checked by a rule that reports a module-level let and collection', () => {
    expect(moduleState(path.join(__dirname, 'fixtures', 'module-state.ts.txt'))).toEqual([
      'outbox: a module-level let/var',
      'unsent: a module-level Map',
    ]);
  });

  it('export no zod schema object', async () => {
    const schemas: string[] = [];
    for (const f of sources(WORKFLOWS)) {
      const mod = (await import(f)) as Record<string, unknown>;
      for (const [k, v] of Object.entries(mod))
        if (v instanceof ZodType) schemas.push(`${path.relative(WORKFLOWS, f)}: ${k}`);
    }
    expect(schemas).toEqual([]);
  });
});
