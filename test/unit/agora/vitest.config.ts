import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// The agora library needs no Temporal server, so it skips the root config's globalSetup:
// `npx vitest run --config test/unit/agora/vitest.config.ts`.
export default defineConfig({
  root: resolve(__dirname, '../../..'),
  test: {
    include: ['test/unit/agora/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
