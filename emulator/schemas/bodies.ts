/**
 * Top-level request bodies of acquire, start, update and stop. Mode-dependent parts live in
 * start.ts; cname/uid consistency with the resourceId is checked by the handlers (code 432).
 */
import { z } from 'zod';
import { invalidParam, serviceError } from '../errors';
import type { RecordingMode } from '../types';
import { anyObject, intIn, isValidCname, parseOrThrow, uidSchema } from './common';
import { parseStartClientRequest, type StartClientRequest } from './start';
import { storageConfigSchema } from './storage';
import { readLists, subscriptionFields, type UidLists } from './subscription';

const identity = { cname: z.string().min(1, 'must not be empty'), uid: uidSchema };

const acquireSchema = z.object({
  ...identity,
  clientRequest: z.object({
    scene: intIn(0, 2).optional(),
    resourceExpiredHour: intIn(1, 720).optional(),
    excludeResourceIds: z.array(z.string()).optional(),
    region: z.enum(['CN', 'AP', 'EU', 'NA']).optional(),
    regionAffinity: intIn(0, 4).optional(),
    startParameter: anyObject.optional(),
  }),
});

/** Parsed acquire body. */
export type AcquireBody = z.output<typeof acquireSchema>;

/**
 * Validates an acquire body. A bad channel name is 400 code 401 (`invalid_channel_name`), per
 * the current error table; everything else is code 2. `startParameter` is validated like a
 * start clientRequest in `mode` (the only modes served are individual and raw).
 */
export function parseAcquire(body: unknown, captureIntervalMin: number): AcquireBody {
  const parsed = parseOrThrow(acquireSchema, body);
  if (!isValidCname(parsed.cname)) throw serviceError(400, 401, 'invalid_channel_name');
  const sp = parsed.clientRequest.startParameter;
  if (sp !== undefined)
    parseStartClientRequest(sp, 'individual', captureIntervalMin, 'clientRequest.startParameter');
  return parsed;
}

const startSchema = z.object({ ...identity, clientRequest: z.unknown() });

/** Parsed start body. */
export interface StartBody {
  cname: string;
  uid: string;
  clientRequest: StartClientRequest;
}

/** Validates a start body for `mode`. */
export function parseStart(body: unknown, mode: RecordingMode, captureIntervalMin: number): StartBody {
  const top = parseOrThrow(startSchema, body);
  if (top.clientRequest === undefined) throw invalidParam('clientRequest: is required');
  return {
    cname: top.cname,
    uid: top.uid,
    clientRequest: parseStartClientRequest(top.clientRequest, mode, captureIntervalMin),
  };
}

const { subscribeVideoUids, unSubscribeVideoUids, unsubscribeVideoUids } = subscriptionFields;
const { subscribeAudioUids, unSubscribeAudioUids, unsubscribeAudioUids } = subscriptionFields;

const updateSchema = z.object({
  ...identity,
  clientRequest: z.object({
    streamSubscribe: z
      .object({
        videoUidList: z.object({ subscribeVideoUids, unSubscribeVideoUids, unsubscribeVideoUids }).optional(),
        audioUidList: z.object({ subscribeAudioUids, unSubscribeAudioUids, unsubscribeAudioUids }).optional(),
      })
      .optional(),
    storageConfig: storageConfigSchema.optional(),
    webRecordingConfig: anyObject.optional(),
    rtmpPublishConfig: anyObject.optional(),
  }),
});

/** Parsed update body: exactly one kind of change. */
export type UpdateBody = z.output<typeof updateSchema> & { video?: UidLists; audio?: UidLists };

const UPDATE_KINDS = ['streamSubscribe', 'storageConfig', 'webRecordingConfig', 'rtmpPublishConfig'] as const;

/** Validates an update body (one kind of change per call, lists as in start). */
export function parseUpdate(body: unknown): UpdateBody {
  const parsed = parseOrThrow(updateSchema, body);
  const cr = parsed.clientRequest;
  const kinds = UPDATE_KINDS.filter((k) => cr[k] !== undefined);
  if (kinds.length !== 1) {
    throw invalidParam(
      `clientRequest: exactly one of ${UPDATE_KINDS.join(', ')} is required, got ${kinds.length}`,
    );
  }
  if (cr.webRecordingConfig || cr.rtmpPublishConfig) {
    throw invalidParam(`clientRequest.${kinds[0] ?? ''}: only supported in web mode`);
  }
  const ss = cr.streamSubscribe;
  if (!ss) return parsed;
  if (!ss.videoUidList && !ss.audioUidList) {
    throw invalidParam('clientRequest.streamSubscribe: needs videoUidList or audioUidList');
  }
  const where = 'clientRequest.streamSubscribe';
  return {
    ...parsed,
    video: ss.videoUidList && readLists(ss.videoUidList, 'Video', `${where}.videoUidList`),
    audio: ss.audioUidList && readLists(ss.audioUidList, 'Audio', `${where}.audioUidList`),
  };
}

const stopSchema = z.object({
  ...identity,
  clientRequest: z.object({ async_stop: z.boolean().optional() }),
});

/** Parsed stop body. */
export type StopBody = z.output<typeof stopSchema>;

/** Validates a stop body (`clientRequest` may be `{}`). */
export function parseStop(body: unknown): StopBody {
  return parseOrThrow(stopSchema, body);
}
