import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The agora library needs no Temporal server, so it skips the root config's globalSetup:
// `npx vitest run --config test/unit/agora/vitest.config.mts`.
export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: {
    include: ['test/unit/agora/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
