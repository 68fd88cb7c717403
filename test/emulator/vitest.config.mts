import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// The emulator tests need no Temporal server, so they skip the root globalSetup:
// npx vitest run --config test/emulator/vitest.config.ts
export default defineConfig({
  test: {
    root: resolve(__dirname, '../..'),
    include: ['test/emulator/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
