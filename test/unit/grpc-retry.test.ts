import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const FIXTURE = path.join(__dirname, 'fixtures', 'retry-after-close.ts');

/** Runs the fixture in its own process (an uncaught exception there must not reach vitest). */
function run(which: 'safe' | 'plugin' | 'sdk'): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', FIXTURE, which],
      { timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

describe('closing a client connection while a request is being retried', () => {
  it('stops the pending retry quietly with closeSafeRetryInterceptor', async () => {
    const { code, out } = await run('safe');
    expect(out).toContain('closed while a retry was pending');
    expect(out).not.toContain('Channel has been shut down');
    expect(code).toBe(0);
  });

  it('stops the pending retry quietly with closeSafeRetryPlugin (for TestWorkflowEnvironment)', async () => {
    const { code, out } = await run('plugin');
    expect(out).toContain('closed while a retry was pending');
    expect(out).not.toContain('Channel has been shut down');
    expect(code).toBe(0);
  });

  it("crashes the process with the SDK's own retry interceptor (why the product replaces it)", async () => {
    const { code, out } = await run('sdk');
    expect(out).toContain('closed while a retry was pending');
    expect(out).toContain('Channel has been shut down');
    expect(code).not.toBe(0);
  });
});
