/**
 * Where a capture's screenshots are, for the CLI: the request it was started with (the first
 * event of its current run: continue-as-new runs receive the validated request) and the
 * worker-style storage profile it names, read from AGORA_STORAGE_PROFILES like the worker does.
 */
import type { Client } from '@temporalio/client';
import { GRPC, grpcCode, isNamespaceNotFound } from '../grpc-code';
import { type ExecutionStatus, executionStatus } from '../api';
import { type StorageProfile } from '../../storage/profile';
import { loadStorageProfiles, StorageProfilesError } from '../../storage/profiles-file';
import { hasS3Target, type S3Target, s3Target } from '../../storage/s3-target';
import { type CaptureRequest, validateCaptureRequest } from '../../workflows/request';
import { CAPTURE_SIDS } from '../../workflows/search-attributes';
import type { CommandContext } from './context';
import type { CliSettings } from './env';
import { CliFailure, EXIT } from './errors';
import { explainTemporalError } from './failures';

export interface CaptureStorage {
  request: CaptureRequest;
  profile: StorageProfile;
  /** The effective fileNamePrefix (the request's, else the profile's). */
  prefix: string[];
  target: S3Target;
  /** The first run id of the current run's chain: names the capture's manifest (storage/manifest.ts). */
  firstRunId?: string;
  /**
   * The latest run as Temporal describes it (one describe call, made on first use and shared):
   * its execution status and the sids of the capture's sessions (CaptureSids; no worker needed).
   * When the describe fails it rejects with a CliFailure saying what Temporal answered.
   */
  run: () => Promise<CaptureRun>;
}

/** What the readers of a capture's bucket need of its latest run. */
export interface CaptureRun {
  status: ExecutionStatus;
  sids: readonly string[];
}

/** `describe()` once, on first call; its failure explained as Temporal's. */
function runOf(client: Client, workflowId: string, settings: CliSettings): () => Promise<CaptureRun> {
  let described: Promise<CaptureRun> | undefined;
  return () =>
    (described ??= client.workflow
      .getHandle(workflowId)
      .describe()
      .then(
        (d) => ({
          status: executionStatus(d.status.name),
          sids: [...(d.typedSearchAttributes.get(CAPTURE_SIDS) ?? [])],
        }),
        (e: unknown) => {
          throw explainTemporalError(e, settings, workflowId);
        },
      ));
}

/** The capture's request and run chain, from the first history event of its current run (one event fetched). */
async function requestOf(
  client: Client,
  workflowId: string,
): Promise<{ request: CaptureRequest; firstRunId?: string }> {
  const res = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId },
    maximumPageSize: 1,
  });
  const started = res.history?.events?.[0]?.workflowExecutionStartedEventAttributes;
  const payload = started?.input?.payloads?.[0];
  if (!payload) throw new CliFailure(`${workflowId}: its history has no start input`);
  const input = await client.options.loadedDataConverter.payloadConverter.fromPayload(payload);
  const v = validateCaptureRequest(input);
  if (!v.ok) throw new CliFailure(`${workflowId}: its start input is not a capture request`);
  return {
    request: v.request,
    ...(started?.firstExecutionRunId ? { firstRunId: started.firstExecutionRunId } : {}),
  };
}

/**
 * Resolves the capture's storage; fails with a sentence when it cannot be read over S3. A missing
 * or invalid profiles file is a bad environment (exit 2, like a bad TEMPORAL_* variable), found
 * before connecting.
 */
export async function captureStorage(
  ctx: Pick<CommandContext, 'client' | 'settings'>,
  workflowId: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CaptureStorage> {
  const file = env.AGORA_STORAGE_PROFILES;
  if (!file)
    throw new CliFailure(
      'AGORA_STORAGE_PROFILES is not set: the CLI reads the bucket with the worker-style storage profiles file',
      EXIT.usage,
    );
  let profiles;
  try {
    profiles = loadStorageProfiles(file);
  } catch (e) {
    if (e instanceof StorageProfilesError) throw new CliFailure(e.message, EXIT.usage);
    throw e;
  }
  const client = await ctx.client();
  let request: CaptureRequest;
  let firstRunId: string | undefined;
  try {
    ({ request, firstRunId } = await requestOf(client, workflowId));
  } catch (e) {
    // NOT_FOUND of the namespace is no statement about the capture: explained as such below.
    if (grpcCode(e) === GRPC.NOT_FOUND && !isNamespaceNotFound(e))
      throw new CliFailure(`no capture ${workflowId} in namespace ${ctx.settings.namespace}`);
    throw explainTemporalError(e, ctx.settings, workflowId);
  }
  const profile = profiles[request.storageProfile];
  if (!profile)
    throw new CliFailure(`storage profile "${request.storageProfile}" of ${workflowId} is not in ${file}`);
  const target = s3Target(profile);
  if (!hasS3Target(target)) throw new CliFailure(`${workflowId}: ${target.reason}`);
  return {
    request,
    profile,
    prefix: request.fileNamePrefix ?? profile.fileNamePrefix ?? [],
    target,
    ...(firstRunId ? { firstRunId } : {}),
    run: runOf(client, workflowId, ctx.settings),
  };
}
