/**
 * The optional `recording` part of a capture request (issue 13): record the channel beside the
 * screenshots. A capture with `recording` acquires twice and runs a second, recording-mode
 * session under its own recorder uid, independent of the screenshot session (one combined Agora
 * task would be cheaper but tie the two together: docs/recording.md). Pure module: it runs inside
 * the workflow sandbox.
 */
import { z } from 'zod';
import type { SessionKind } from './recording-state';
import type { CaptureRequest } from './request';
import type { OpenSession } from './state';

const UID_MAX = 4294967295;
const AV_FILE_TYPES = '["hls"] or ["hls","mp4"]';

/**
 * `recording`: its own recorder uid, Agora's recordingFileConfig, and optionally its own storage
 * profile. A factory, never an exported schema: the worker preloads the workflow modules and the SDK
 * deep-freezes what the preloaded modules export, while zod fills schema members on first use
 * (test/unit/workflow-preload.test.ts).
 */
export const recordingSchema = () =>
  z
    .object({
      recorderUid: z
        .string({
          error: 'is required: the recording session needs its own recorder uid (digits, as a string)',
        })
        .refine(
          (v) => /^[1-9][0-9]{0,9}$/.test(v) && Number(v) <= UID_MAX,
          `must be an integer from 1 to ${UID_MAX} written as a string`,
        ),
      recordingFileConfig: z
        .object({
          avFileType: z
            .array(z.string(), { error: `must be ${AV_FILE_TYPES}` })
            .refine(
              (t) =>
                (t.length === 1 && t[0] === 'hls') || (t.length === 2 && t[0] === 'hls' && t[1] === 'mp4'),
              `must be ${AV_FILE_TYPES} (individual mode records HLS; MP4 only beside it)`,
            )
            .default(['hls']),
        })
        .strict()
        .default({ avFileType: ['hls'] }),
      storageProfile: z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a profile name (letters, digits, . _ -)')
        .optional(),
      /**
       * When Agora ends one of the two sessions: `continue` (default) keeps the other running until
       * the capture ends; `end-capture` ends the capture (and so stops the other).
       */
      ifOneEnds: z
        .enum(['continue', 'end-capture'], { error: "must be 'continue' or 'end-capture'" })
        .default('continue'),
    })
    .strict();

export type RecordingRequest = z.output<ReturnType<typeof recordingSchema>>;

/** The uids a request subscribes to or excludes by name (a recorder must be none of them). */
function namedUids(rc: Record<string, unknown>): Set<string> {
  const keys = ['subscribeVideoUids', 'subscribeAudioUids', 'unSubscribeVideoUids', 'unSubscribeAudioUids'];
  return new Set(keys.flatMap((k) => (Array.isArray(rc[k]) ? (rc[k] as string[]) : [])));
}

/** Cross-field rules of `recording`: its recorder uid is its own. */
export function recordingIssues(r: {
  recorderUid: string;
  recordingConfig: Record<string, unknown>;
  recording?: RecordingRequest;
}): { path: (string | number)[]; message: string }[] {
  if (!r.recording) return [];
  const uid = r.recording.recorderUid;
  const path = ['recording', 'recorderUid'];
  if (uid === r.recorderUid)
    return [{ path, message: 'must differ from recorderUid: each Agora session joins as its own bot' }];
  if (namedUids(r.recordingConfig).has(uid))
    return [
      { path, message: 'must not be one of the subscribed (or unsubscribed) uids: it is a recorder bot' },
    ];
  return [];
}

/** The request one Agora session is acquired, started and stopped with. */
export type SessionRequest = CaptureRequest & { sessionKind?: SessionKind };

/** The recording session's request: the capture's channel, subscriptions and duration, its own uid and storage. */
export function recordingSessionRequest(request: CaptureRequest): SessionRequest {
  const rec = request.recording;
  if (!rec) throw new Error('recordingSessionRequest: the request has no recording part');
  return {
    ...request,
    recorderUid: rec.recorderUid,
    storageProfile: rec.storageProfile ?? request.storageProfile,
    sessionKind: 'recording',
  };
}

/** The request to act on open session `o` with (stop, repeated start). */
export function sessionRequest(request: CaptureRequest, o: Pick<OpenSession, 'kind'>): SessionRequest {
  return o.kind === 'recording' && request.recording ? recordingSessionRequest(request) : request;
}
