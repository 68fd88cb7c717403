import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The emulator tests need no Temporal server, so they skip the root Temporal globalSetup (the
// S3 server stays: screenshots are uploaded to it):
// npx vitest run --config test/emulator/vitest.config.mts
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/emulator/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup-s3.ts'],
    hookTimeout: 120_000,
    testTimeout: 20_000,
  },
});
