/**
 * The bench's processes (workers, receiver, emulator) run compiled JavaScript, as production runs
 * them (`npm run build`, `node dist/worker/main.js`), not through tsx. tsx is a development
 * loader: it turns on Node's source-map support, and with it every script the SDK compiles for a
 * workflow promise's stack trace (several per promise) is scanned for a source map, which costs a
 * worker CPU in proportion to the promises its workflows create. Both sides — product and
 * baselines — are compiled the same way, once per run, with tsc into a folder of its own under
 * node_modules/.cache (inside the project, so that the compiled files find node_modules).
 * The settings are dist/'s (tsconfig.build.json, .js.map files included: the workflow bundles are
 * made from this output, and webpack builds their source maps from those files as it does for
 * dist/workflow-bundle.js); Node reads no source map without `--enable-source-maps`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

export interface CompiledProcesses {
  /** `worker/main.ts` → the compiled file's absolute path. */
  script(tsPath: string): string;
  remove(): void;
}

export function compileProcesses(): CompiledProcesses {
  const cache = path.join(ROOT, 'node_modules', '.cache', 'agora-capture-bench');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(path.join(cache, 'js-'));
  try {
    execFileSync(
      process.execPath,
      [
        path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
        '-p',
        path.join(ROOT, 'bench', 'tsconfig.processes.json'),
        '--outDir',
        dir,
      ],
      { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
    );
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    script: (tsPath) => path.join(dir, tsPath.replace(/\.ts$/, '.js')),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
