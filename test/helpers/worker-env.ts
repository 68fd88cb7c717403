/**
 * Worker environment variables for tests and the bench: a storage profiles file and the test
 * credentials, pointing a worker at an emulator and a Temporal server. Free of vitest, so the
 * bench can import it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { APP_ID, CUSTOMER_ID, SECRETS, offlineStorageProfile } from './fixtures';

/**
 * Writes a storage profiles file and returns worker environment variables pointing at `agoraUrl`.
 * `profile` is the "default" storage profile (default: the fixtures' vendor-1 profile, offline).
 */
export function workerEnv(
  agoraUrl: string,
  temporalAddress: string,
  taskQueue: string,
  certificate = true,
  requestTimeoutMs = 3000,
  profile: Record<string, unknown> = offlineStorageProfile(),
): Record<string, string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'agora-capture-'));
  const profiles = path.join(dir, 'storage-profiles.json');
  writeFileSync(profiles, JSON.stringify({ default: profile }));
  return {
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: taskQueue,
    AGORA_REST_URL: agoraUrl,
    AGORA_APP_ID: APP_ID,
    AGORA_CUSTOMER_ID: CUSTOMER_ID,
    AGORA_CUSTOMER_SECRET: SECRETS.customerSecret,
    AGORA_STORAGE_PROFILES: profiles,
    AGORA_REQUEST_TIMEOUT_MS: String(requestTimeoutMs),
    ...(certificate ? { AGORA_APP_CERTIFICATE: SECRETS.appCertificate } : {}),
  };
}
