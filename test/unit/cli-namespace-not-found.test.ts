/**
 * A NOT_FOUND from Temporal is about the namespace or about the capture, and the CLI says which:
 * "namespace N does not exist", never "no capture X" when it was the namespace Temporal did not
 * find. `manifest`, `latest` and `timeline` read the capture's request with a raw service call,
 * whose errors the SDK does not translate; the fake client answers it the way the server does
 * (the message, and the NamespaceNotFoundFailure detail in the status).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Metadata, status } from '@grpc/grpc-js';
import type { Client } from '@temporalio/client';
import { google, temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { captureStorage } from '../../client/cli/capture-storage';
import { cliSettings } from '../../client/cli/env';
import { CliFailure } from '../../client/cli/errors';
import { storageProfile } from '../helpers/fixtures';

const dir = mkdtempSync(path.join(tmpdir(), 'cli-namespace-'));
const profiles = path.join(dir, 'profiles.json');
writeFileSync(profiles, JSON.stringify({ default: storageProfile() }));

const NAMESPACE_DETAIL = 'type.googleapis.com/temporal.api.errordetails.v1.NamespaceNotFoundFailure';

/** A gRPC NOT_FOUND as grpc-js hands it over; `detail`: with that status detail. */
function notFound(details: string, detail?: string): Error {
  const metadata = new Metadata();
  if (detail)
    metadata.set(
      'grpc-status-details-bin',
      Buffer.from(
        google.rpc.Status.encode({
          code: status.NOT_FOUND,
          message: details,
          details: [
            {
              type_url: detail,
              value: temporal.api.errordetails.v1.NamespaceNotFoundFailure.encode({
                namespace: 'nosuch',
              }).finish(),
            },
          ],
        }).finish(),
      ),
    );
  return Object.assign(new Error(`5 NOT_FOUND: ${details}`), { code: status.NOT_FOUND, details, metadata });
}

/** The failure of captureStorage when the history read fails with `error`. */
async function storageFailure(error: Error): Promise<unknown> {
  const client = {
    options: { namespace: 'nosuch' },
    workflowService: { getWorkflowExecutionHistory: () => Promise.reject(error) },
  } as unknown as Client;
  const ctx = {
    settings: cliSettings({ TEMPORAL_ADDRESS: 'temporal.test:7233', TEMPORAL_NAMESPACE: 'nosuch' }),
    client: () => Promise.resolve(client),
  };
  return captureStorage(ctx, 'capture/room/1', { AGORA_STORAGE_PROFILES: profiles }).catch((e: unknown) => e);
}

describe('a NOT_FOUND while reading where a capture stores its screenshots', () => {
  it('says the namespace does not exist when Temporal did not find the namespace', async () => {
    const e = await storageFailure(notFound('Namespace nosuch is not found.', NAMESPACE_DETAIL));
    expect(e).toBeInstanceOf(CliFailure);
    expect((e as CliFailure).message).toBe('namespace nosuch does not exist on temporal.test:7233');
  });

  it('knows the namespace from its message alone, when the status carries no detail', async () => {
    const e = await storageFailure(notFound('Namespace nosuch is not found.'));
    expect((e as CliFailure).message).toBe('namespace nosuch does not exist on temporal.test:7233');
  });

  it('knows the namespace from the status detail alone, whatever the message', async () => {
    const e = await storageFailure(notFound('not found', NAMESPACE_DETAIL));
    expect((e as CliFailure).message).toBe('namespace nosuch does not exist on temporal.test:7233');
  });

  it('says there is no such capture when Temporal did not find the workflow', async () => {
    const e = await storageFailure(notFound('workflow execution not found for workflow ID capture/room/1'));
    expect((e as CliFailure).message).toBe('no capture capture/room/1 in namespace nosuch');
  });
});
