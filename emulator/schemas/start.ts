/**
 * Start's `clientRequest` (also the acquire `startParameter`): zod shape checks, then the
 * cross-field rules of the reference (individual mode and screenshots).
 */
import { z } from 'zod';
import { invalidParam } from '../errors';
import type { RecordingMode } from '../types';
import { anyObject, intIn, parseOrThrow } from './common';
import { storageConfigSchema } from './storage';
import { checkListsAgainstStreamTypes, readLists, subscriptionFields, type UidLists } from './subscription';

function recordingConfigSchema() {
  return z.object({
    channelType: intIn(0, 1).optional(),
    streamTypes: intIn(0, 2).optional(),
    decryptionMode: intIn(0, 8).optional(),
    secret: z.string().optional(),
    salt: z.string().optional(),
    maxIdleTime: intIn(5, 2_592_000).optional(),
    videoStreamType: intIn(0, 1).optional(),
    // Required by the reference in individual mode, yet Agora's official Go client omits it when
    // 0 (`json:",omitempty"`) and Agora serves those requests: missing means 0.
    subscribeUidGroup: intIn(0, 5).default(0),
    streamMode: z.enum(['default', 'standard', 'original']).optional(),
    privateParams: z.string().optional(),
    ...subscriptionFields,
  });
}

function clientRequestSchema(captureIntervalMin: number) {
  return z.object({
    token: z.string().optional(),
    recordingConfig: recordingConfigSchema(),
    snapshotConfig: z
      .object({
        captureInterval: intIn(captureIntervalMin, 3600).optional(),
        fileType: z.array(z.string()).refine((a) => a.length === 1 && a[0] === 'jpg', 'must be ["jpg"]'),
      })
      .optional(),
    recordingFileConfig: z
      .object({
        avFileType: z
          .array(z.enum(['hls', 'mp4', 'mp3']))
          .min(1, 'must not be empty')
          .optional(),
      })
      .optional(),
    storageConfig: storageConfigSchema,
    extensionServiceConfig: anyObject.optional(),
  });
}

/** Built once per minimum interval: building a zod schema costs more than parsing with it. */
const schemas = new Map<number, ReturnType<typeof clientRequestSchema>>();
function clientRequestSchemaFor(captureIntervalMin: number) {
  let schema = schemas.get(captureIntervalMin);
  if (!schema) schemas.set(captureIntervalMin, (schema = clientRequestSchema(captureIntervalMin)));
  return schema;
}

/** Parsed start `clientRequest` plus the normalised subscription lists. */
export type StartClientRequest = z.output<ReturnType<typeof clientRequestSchema>> & {
  video: UidLists;
  audio: UidLists;
  streamTypes: number;
};

/** Validates a start `clientRequest` (`where` prefixes reasons). Throws 400 code 2. */
export function parseStartClientRequest(
  input: unknown,
  mode: RecordingMode,
  captureIntervalMin: number,
  where = 'clientRequest',
): StartClientRequest {
  const cr = parseOrThrow(clientRequestSchemaFor(captureIntervalMin), input, where);
  const rc = cr.recordingConfig;
  const rcWhere = `${where}.recordingConfig`;
  const video = readLists(rc, 'Video', rcWhere);
  const audio = readLists(rc, 'Audio', rcWhere);
  const streamTypes = rc.streamTypes ?? 2;
  checkListsAgainstStreamTypes(streamTypes, video, audio, rcWhere);
  if ((rc.decryptionMode ?? 0) !== 0 && !rc.secret) {
    throw invalidParam(`${rcWhere}.secret: is required when decryptionMode is not 0`);
  }
  if (rc.decryptionMode === 7 || rc.decryptionMode === 8) {
    if (!rc.salt || Buffer.from(rc.salt, 'base64').length !== 32) {
      throw invalidParam(`${rcWhere}.salt: must be base64 of 32 bytes when decryptionMode is 7 or 8`);
    }
  }
  // snapshotConfig and recordingFileConfig together is one task that records and takes
  // screenshots: allowed since Agora's 2021-09-06 release (the "acquire twice" rule is older),
  // and the official Go client's start struct carries both. The screenshot rules below still apply.
  if (cr.snapshotConfig) {
    if (streamTypes === 0) throw invalidParam(`${rcWhere}.streamTypes: screenshots need 1 or 2, got 0`);
    // raw mode dropped streamMode entirely, so only individual mode can ask for passthrough.
    if (mode === 'individual' && rc.streamMode === 'original') {
      throw invalidParam(`${rcWhere}.streamMode: "original" does not support snapshotConfig`);
    }
  }
  if (mode === 'raw' && cr.extensionServiceConfig) {
    throw invalidParam(`${where}.extensionServiceConfig: not supported in raw mode`);
  }
  return { ...cr, video, audio, streamTypes };
}
