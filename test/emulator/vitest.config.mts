import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The emulator tests need no Temporal server, so they skip the root globalSetup:
// npx vitest run --config test/emulator/vitest.config.mts
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/emulator/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
