import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Path order, so the history scan (zz-*) runs after every capture test. */
class PathOrderSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId));
  }
}

// One Temporal dev server per run (globalSetup); forks because worker threads crash the
// SDK's native bridge (sdk-typescript#876). Files run one at a time: 2 cores, one server.
export default defineConfig({
  test: {
    pool: 'forks',
    fileParallelism: false,
    globalSetup: ['test/helpers/global-setup.ts', 'test/helpers/global-setup-s3.ts'],
    include: ['test/**/*.test.ts'],
    // The image check is its own tier (scripts/image-check.sh): it builds the image first.
    exclude: ['test/image/**', '**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    sequence: { sequencer: PathOrderSequencer },
  },
});
