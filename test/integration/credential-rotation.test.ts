/**
 * A customer secret rotated while captures run: the worker reads it from a file and reads the
 * file again when Agora answers 401, so the stop that meets the rotation still stops the session
 * (no restart, no retry storm).
 */
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCapture, stopCapture } from '../../client/api';
import { captureRequest, SECRETS } from '../helpers/fixtures';
import { type Harness, startHarness } from '../helpers/harness';
import { waitFor } from '../helpers/wait-for';

const ROTATED = 'custsecret-ROTATED-DO-NOT-LEAK-0b9d';

/** Replaces the file at once (write + rename), as a secret mount does. */
function writeSecret(file: string, value: string): void {
  writeFileSync(`${file}.new`, `${value}\n`);
  renameSync(`${file}.new`, file);
}

describe('customer secret rotation without a worker restart', () => {
  let h: Harness;
  let secretFile: string;
  beforeAll(async () => {
    secretFile = path.join(mkdtempSync(path.join(tmpdir(), 'agora-secret-')), 'customer-secret');
    writeSecret(secretFile, SECRETS.customerSecret);
    h = await startHarness({
      workerEnv: { AGORA_CUSTOMER_SECRET: '', AGORA_CUSTOMER_SECRET_FILE: secretFile },
    });
  });
  afterAll(() => h?.close());

  it('stops a running capture with the new secret after Agora and the file rotate', async () => {
    const { workflowId } = await h.start(captureRequest({ durationSeconds: 600 }));
    const { sid } = await waitFor(
      async () => {
        const s = await getCapture(h.env.client, workflowId);
        return s.phase === 'CAPTURING' ? s : undefined;
      },
      { what: 'phase CAPTURING' },
    );

    writeSecret(secretFile, ROTATED);
    h.emulator.rotateCredentials({ customerSecret: ROTATED });
    const result = await stopCapture(h.env.client, workflowId, { reason: 'rotation', wait: true });

    expect(result).toMatchObject({ reason: 'stopped', stopOutcome: 'stopped' });
    expect(h.emulator.ledger().find((e) => e.sid === sid)).toMatchObject({ active: false, stopCalls: 1 });
    // The old secret was refused once, then the same stop went through with the new one.
    const stops = h.emulator.requests().filter((r) => r.endpoint === 'stop');
    expect(stops.map((r) => r.status)).toEqual([401, 200]);
  });
});
