import { defineConfig } from 'vitest/config';

// One Temporal dev server per run (globalSetup); forks because worker threads crash the
// SDK's native bridge (sdk-typescript#876). Files run one at a time: 2 cores, one server.
export default defineConfig({
  test: {
    pool: 'forks',
    fileParallelism: false,
    globalSetup: ['test/helpers/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    sequence: { sequencer: undefined },
  },
});
