import { describe, expect, it } from 'vitest';
import * as request from '../../workflows/request';
import { PRELOAD_MODULES } from '../../worker/workflow-bundle';

// The worker preloads workflows/request.ts once per thread and the SDK deep-freezes whatever it
// exports. zod materialises schema members on first use, so an exported schema would make
// every capture's first workflow task fail with "object is not extensible".
describe('the preloaded request module', () => {
  it('is the module the worker preloads', () => {
    expect(PRELOAD_MODULES.map((m) => m.replace(/\\/g, '/'))).toEqual([
      expect.stringMatching(/\/workflows\/request\.ts$/),
    ]);
  });

  it('exports only functions and primitive constants, never a schema object', () => {
    const objects = Object.entries(request)
      .filter(([, v]) => typeof v === 'object' && v !== null)
      .map(([k]) => k);
    expect(objects).toEqual([]);
  });
  // Behaviour under the real freeze: test/replay runs valid and invalid requests on the preloaded bundle.
});
