/**
 * Activities: one Agora call each, so a retry repeats one step and every result is
 * checkpointed in history. Built by a factory so tests pass real objects (an AgoraClient
 * pointed at the emulator). Inputs and outputs carry references and ids only.
 */
import { log } from '@temporalio/activity';
import { AgoraClient, isAgoraError, buildRecorderToken } from '../agora';
import { agoraStorageConfig, type StorageProfile } from '../storage/profile';
import type { CaptureRequest } from '../workflows/request';
import { configFailure, toFailure } from './failures';
import { asOutcomeUnknown, earlierAttemptMayHaveStarted, recordMayHaveStarted } from './start-attempts';
import { outcomeUnknown } from '../workflows/failure-type';
import { createManifestActivities } from './manifest';
import { meteredCall } from './metered';
import { resourceExpiredHour } from '../workflows/open-sessions';
import { buildStartBody } from './start-body';
import { buildRecordingStartBody, isRecordingSession } from './recording-start-body';
import { readFileList } from './recording-files';
import type { RecordingFile } from '../workflows/recording-state';
import type { SessionRequest } from '../workflows/recording';

export interface ActivityConfig {
  appId: string;
  /**
   * When set (or when the function returns one), the worker signs an RTC token for the
   * recorder uid. A function is asked at every start, so a rotated certificate file is used
   * without a restart.
   */
  appCertificate?: string | (() => string | undefined);
  /** Named storage profiles: Agora's storageConfig plus the product-only `s3` access block. */
  storageProfiles: Record<string, StorageProfile>;
  /** Names of the webhook secrets this worker holds (values stay in the webhook activities). */
  webhookSecretNames?: string[];
}

export interface ActivityDeps {
  agora: AgoraClient;
  config: ActivityConfig;
}

export interface SessionRef {
  channel: string;
  recorderUid: string;
  resourceId: string;
  sid: string;
}

export interface StartResult {
  sid: string;
  /** True when Agora said the session was already started (201/7) and we adopted it. */
  adopted: boolean;
  /**
   * With an App Certificate: when the recorder's RTC token (and so the session) expires, ms
   * since the epoch. Cloud recording cannot renew it; the workflow rolls over before (rollover.ts).
   * Only when the start gave `tokenIssuedAtMs` (an exact expiry); undefined without a certificate.
   */
  tokenExpiresAtMs?: number;
  /**
   * When Agora's answer arrived (this worker's clock, ms since the epoch). The workflow learns
   * of it only in its next workflow task, which a worker crash can delay by minutes; the
   * session has run since about this time (workflows/session.ts backdateStart).
   */
  answeredAtMs?: number;
}

export interface StopResult {
  outcome: 'stopped' | 'already-stopped' | 'no-recorded-data';
  uploadingStatus?: string;
  /** The recording session's files (stop's serverResponse.fileList); absent for screenshots. */
  fileList?: RecordingFile[];
}

/** Tokens cannot be renewed by cloud recording, and Agora caps their life at 24 h. */
const MAX_TOKEN_SECONDS = 24 * 3600;

/**
 * The recorder token's lifetime for a session meant to run `durationSeconds`: an hour past
 * it, at most Agora's 24 h. A capture longer than that rolls over to a new segment.
 */
export function recorderTokenSeconds(durationSeconds: number): number {
  return Math.min(MAX_TOKEN_SECONDS, Math.ceil(durationSeconds) + 3600);
}

/** The `start` activity's input. */
export interface StartArgs {
  /** The capture's request, or the recording session's (workflows/recording.ts). */
  request: SessionRequest;
  resourceId: string;
  durationSeconds: number;
  /**
   * The token's issue time (workflow time): with it the token lives exactly
   * min(24 h, durationSeconds + 1 h) from then, and the result says when it expires.
   */
  tokenIssuedAtMs?: number;
}

export function createActivities({ agora, config }: ActivityDeps) {
  const profile = (name: string): StorageProfile => {
    const p = config.storageProfiles[name];
    if (!p)
      throw configFailure(
        `storage profile "${name}" is not configured on this worker`,
        'StorageProfileNotFound',
      );
    return p;
  };

  /** One attempt of the `start` activity (its failures classified by the caller). */
  async function startOnce(args: StartArgs): Promise<StartResult> {
    const { request, resourceId } = args;
    const appCertificate =
      typeof config.appCertificate === 'function' ? config.appCertificate() : config.appCertificate;
    const tokenSeconds = recorderTokenSeconds(args.durationSeconds);
    const token = appCertificate
      ? buildRecorderToken({
          appId: config.appId,
          appCertificate,
          channel: request.channel,
          uid: Number(request.recorderUid),
          expireSeconds: tokenSeconds,
          ...(args.tokenIssuedAtMs !== undefined ? { issuedAtMs: args.tokenIssuedAtMs } : {}),
        })
      : undefined;
    // Whole seconds, as the token stores them.
    const tokenExpiresAtMs =
      token && args.tokenIssuedAtMs !== undefined
        ? (Math.floor(args.tokenIssuedAtMs / 1000) + tokenSeconds) * 1000
        : undefined;
    const withExpiry = (r: StartResult): StartResult =>
      tokenExpiresAtMs === undefined ? r : { ...r, tokenExpiresAtMs };
    const storage = agoraStorageConfig(profile(request.storageProfile));
    const body = isRecordingSession(request)
      ? buildRecordingStartBody(request, storage, token)
      : buildStartBody(request, storage, token);
    // Said before the request: a worker that dies mid-request leaves it said (start-attempts.ts).
    recordMayHaveStarted(true);
    try {
      const res = await meteredCall(
        'start',
        { channel: request.channel },
        () => agora.start(resourceId, body),
        (b) => b.sid,
      );
      return withExpiry({ sid: res.body.sid, adopted: false, answeredAtMs: Date.now() });
    } catch (err) {
      // A retry after a lost response: Agora already runs this session. Adopt it, never start another.
      if (isAgoraError(err) && err.type === 'AgoraAlreadyStarted' && err.sid) {
        log.info('start answered already-started; adopting the running session', { sid: err.sid });
        return withExpiry({ sid: err.sid, adopted: true });
      }
      throw err;
    }
  }

  return {
    ...createManifestActivities({ storageProfiles: config.storageProfiles }),

    async acquire(args: { request: CaptureRequest }): Promise<{ resourceId: string }> {
      const { request } = args;
      profile(request.storageProfile); // fail before spending an Agora call on a capture that cannot start
      if (
        request.webhook &&
        config.webhookSecretNames &&
        !config.webhookSecretNames.includes(request.webhook.secret)
      )
        throw configFailure(
          `webhook secret "${request.webhook.secret}" is not configured on this worker (AGORA_CAPTURE_WEBHOOK_SECRETS)`,
          'WebhookSecretNotFound',
        );
      try {
        const res = await meteredCall('acquire', { channel: request.channel }, () =>
          agora.acquire({
            cname: request.channel,
            uid: request.recorderUid,
            clientRequest: { scene: 0, resourceExpiredHour: resourceExpiredHour(request) },
          }),
        );
        return { resourceId: res.body.resourceId };
      } catch (err) {
        throw toFailure(err);
      }
    },

    /**
     * Agora `start`. A failure says "outcome unknown" when this attempt's request or an earlier
     * attempt's may have started a session (start-attempts.ts), whatever the last answer was.
     */
    async start(args: StartArgs): Promise<StartResult> {
      const earlier = earlierAttemptMayHaveStarted();
      try {
        return await startOnce(args);
      } catch (err) {
        const failure = toFailure(err);
        recordMayHaveStarted(earlier || outcomeUnknown(failure));
        throw earlier ? asOutcomeUnknown(failure) : failure;
      }
    },

    async query(args: SessionRef): Promise<{ status: number }> {
      try {
        const res = await meteredCall('query', { channel: args.channel, sid: args.sid }, () =>
          agora.query(args.resourceId, args.sid),
        );
        return { status: res.body.serverResponse.status };
      } catch (err) {
        throw toFailure(err);
      }
    },

    async stop(args: SessionRef): Promise<StopResult> {
      try {
        const res = await meteredCall('stop', { channel: args.channel, sid: args.sid }, () =>
          agora.stop(args.resourceId, args.sid, {
            cname: args.channel,
            uid: args.recorderUid,
            clientRequest: { async_stop: false },
          }),
        );
        const fileList = readFileList(res.body.serverResponse);
        return {
          outcome: 'stopped',
          uploadingStatus: res.body.serverResponse?.uploadingStatus,
          ...(fileList ? { fileList } : {}),
        };
      } catch (err) {
        // Stop is idempotent: "already exiting" and "nothing recorded" both mean the bot is gone.
        if (isAgoraError(err) && err.type === 'AgoraAlreadyStopping') return { outcome: 'already-stopped' };
        if (isAgoraError(err) && err.type === 'AgoraNoRecordedData') return { outcome: 'no-recorded-data' };
        throw toFailure(err);
      }
    },
  };
}

export type CaptureActivities = ReturnType<typeof createActivities>;
