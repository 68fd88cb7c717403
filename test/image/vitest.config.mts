import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The image check (scripts/image-check.sh): builds the Dockerfile's image in a sandbox and runs a
// capture through it. It starts its own dev server, so it skips the root globalSetup.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/image/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    // Two `npm ci` runs, tsc and the workflow bundle, on a loaded 2-core machine.
    hookTimeout: 30 * 60_000,
  },
});
