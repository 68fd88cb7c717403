/**
 * The capture request: the one JSON object that starts a capture (from code, the CLI, the
 * Temporal UI or `temporal workflow start`). It names a storage *profile*, never credentials.
 * Validated at the client and again at the top of the workflow, before any Agora call.
 * Pure module: it runs inside the workflow sandbox.
 */
import { z } from 'zod';
import { recordingIssues, recordingSchema } from './recording-request';
import { deliveryIssues } from './request-delivery';

/** Agora's cname charset (legacy error 1013): letters, digits, space and these punctuation marks. */
const CNAME_RE = /^[a-zA-Z0-9 !#$%&()+\-:;<=.>?@[\]^_{}|~,]+$/;
const UID_MAX = 4294967295;
/** resourceExpiredHour may be at most 720 h; keep an hour to stop after the deadline. */
export const MAX_DURATION_SECONDS = 719 * 3600;

const UID_DIGITS = /^[1-9][0-9]{0,9}$/;
const uid = (field: string) =>
  z
    .string({ error: `${field} must be a string of digits` })
    .regex(UID_DIGITS, `${field} must be an integer from 1 to ${UID_MAX} written as a string`)
    // Only the range, so a uid that is not digits is reported once (zod runs every check).
    .refine(
      (v) => !UID_DIGITS.test(v) || Number(v) <= UID_MAX,
      `${field} must be an integer from 1 to ${UID_MAX} written as a string`,
    );

const uidList = (field: string) =>
  z
    .array(z.union([z.literal('#allstream#'), uid(`each ${field} entry`)]))
    .min(1, `${field} must not be empty when given`)
    .max(32, `${field} may list at most 32 uids`);

const recordingConfig = z
  .object({
    channelType: z
      .union([z.literal(0), z.literal(1)], { error: 'must be 0 (communication) or 1 (live broadcast)' })
      .default(0),
    streamTypes: z
      .union([z.literal(1), z.literal(2)], {
        error: 'must be 1 (video) or 2 (audio and video): screenshots need video',
      })
      .default(1),
    maxIdleTime: z
      .number()
      .int()
      .min(5, 'must be at least 5 seconds')
      .max(2592000, 'must be at most 2592000 seconds')
      .default(300),
    videoStreamType: z
      .union([z.literal(0), z.literal(1)], { error: 'must be 0 (high) or 1 (low stream)' })
      .default(0),
    subscribeVideoUids: uidList('subscribeVideoUids').optional(),
    subscribeAudioUids: uidList('subscribeAudioUids').optional(),
    unSubscribeVideoUids: uidList('unSubscribeVideoUids').optional(),
    unSubscribeAudioUids: uidList('unSubscribeAudioUids').optional(),
    subscribeUidGroup: z
      .number({
        error: 'is required in individual mode (0..5, the estimated peak number of subscribed uids)',
      })
      .int('must be an integer')
      .min(0, 'must be 0..5')
      .max(5, 'must be 0..5'),
    streamMode: z
      .enum(['default', 'standard'], {
        error: "must be 'default' or 'standard': 'original' does not support screenshots",
      })
      .optional(),
  })
  .strict();

const snapshotConfig = z
  .object({
    captureInterval: z
      .number({ error: 'must be a number of seconds' })
      .int('must be a whole number of seconds')
      .min(5, 'must be within [5, 3600] seconds')
      .max(3600, 'must be within [5, 3600] seconds')
      .default(10),
    fileType: z
      .array(z.string(), { error: 'must be ["jpg"]: screenshots are JPG only' })
      .refine((t) => t.length === 1 && t[0] === 'jpg', 'must be ["jpg"]: screenshots are JPG only')
      .default(['jpg']),
  })
  .strict();

const timings = z
  .object({
    /** How long Agora's high-availability switch may answer 404 before a session counts as gone. */
    failoverWindowSeconds: z.number().int().min(1).max(600).default(90),
    /** How often a running session is checked with `query` (Agora suggests about 2 minutes). */
    healthCheckSeconds: z.number().int().min(1).max(3600).default(120),
    /** How long an out-of-order callback may wait for a missing sequence number (Agora loses some). */
    eventGapSeconds: z.number().int().min(1).max(60).default(5),
    /** After a start answered "already started" without a sid: how long to wait for a callback carrying it. */
    sidRecoverySeconds: z.number().int().min(1).max(600).default(60),
    /**
     * With an App Certificate the recorder's token cannot be renewed (24 h at most): this long
     * before it expires, the next segment starts with the other recorder uid (rollover.ts).
     */
    rolloverMarginSeconds: z.number().int().min(60).max(7200).default(600),
  })
  .strict();

const policies = z
  .object({
    /** Whether time without video (or operator-paused) counts toward durationSeconds. */
    pausedTimeCounts: z.boolean().default(true),
    /** End the capture once no subscribed video has been received for this long. */
    endAfterVideoLostSeconds: z.number().int().min(1).max(MAX_DURATION_SECONDS).optional(),
  })
  .strict();

/** Loopback hosts as WHATWG URL writes them: where plain http is allowed (local use, tests). */
function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/** Why `raw` cannot be a webhook endpoint, or undefined when it can. */
export function webhookUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL, e.g. https://example.com/hooks/agora';
  }
  if (raw.length > 2048) return 'must be at most 2048 characters';
  // The URL is part of the request, so of workflow history: no credentials in it.
  if (url.username || url.password)
    return 'must not contain credentials (it is kept in workflow history; the signature authenticates)';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
  return 'must be https (plain http only for loopback hosts: localhost, 127.0.0.0/8, [::1])';
}

/** Signed capture events for the customer's backend (docs/webhooks.md). */
const webhook = z
  .object({
    url: z
      .string({ error: 'is required (the https URL capture events are POSTed to)' })
      .refine((u) => webhookUrlProblem(u) === undefined, {
        error: (i) => webhookUrlProblem(String(i.input)) ?? 'invalid',
      }),
    secret: z
      .string({ error: "is required (the name of a secret in the worker's AGORA_CAPTURE_WEBHOOK_SECRETS)" })
      .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a secret name (letters, digits, . _ -)')
      .refine((v) => !v.startsWith('whsec_'), {
        error:
          "must be the secret's name, never its value: values live in the worker's AGORA_CAPTURE_WEBHOOK_SECRETS",
      }),
    /** screenshots.uploaded batches: one per maxFiles files, or maxSeconds after a batch's first file. */
    screenshots: z
      .object({
        maxFiles: z
          .number()
          .int('must be a whole number')
          .min(1, 'must be 1..1000')
          .max(1000, 'must be 1..1000')
          .default(50),
        maxSeconds: z
          .number()
          .int('must be whole seconds')
          .min(1, 'must be 1..3600')
          .max(3600, 'must be 1..3600')
          .default(30),
      })
      .strict()
      .default({ maxFiles: 50, maxSeconds: 30 }),
  })
  .strict();

const captureRequestSchema = z
  .object({
    channel: z
      .string({ error: 'is required' })
      .min(1, 'is required')
      .refine((c) => new TextEncoder().encode(c).length < 64, 'must be shorter than 64 bytes')
      .refine(
        (c) => CNAME_RE.test(c),
        'may only use a-z A-Z 0-9 space and ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ ,',
      ),
    recorderUid: uid('recorderUid'),
    /**
     * The second recorder uid, for captures past the token's 24 h (rollover.ts): segments
     * alternate between recorderUid and this one so the new bot joins before the old one
     * leaves. Default: recorderUid + 1 (recorderUid − 1 for the largest uid).
     */
    rolloverRecorderUid: uid('rolloverRecorderUid').optional(),
    durationSeconds: z
      .number({ error: 'is required (seconds)' })
      .int('must be a whole number of seconds')
      .min(1, 'must be at least 1 second')
      .max(
        MAX_DURATION_SECONDS,
        `must be at most ${MAX_DURATION_SECONDS} seconds (Agora keeps a session stoppable for 720 h)`,
      ),
    storageProfile: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a profile name (letters, digits, . _ -)')
      .default('default'),
    fileNamePrefix: z
      .array(z.string().regex(/^[A-Za-z0-9]+$/, 'elements may only use a-z A-Z 0-9'))
      .refine((p) => p.join('/').length <= 128, 'must be at most 128 characters joined with /')
      .optional(),
    mode: z
      .literal('individual', { error: "must be 'individual': only individual mode takes screenshots" })
      .default('individual'),
    recordingConfig,
    snapshotConfig: snapshotConfig.default({ captureInterval: 10, fileType: ['jpg'] }),
    recordingFileConfig: z
      .undefined({ error: 'must be omitted: this is a screenshot-only capture' })
      .optional(),
    timings: timings.default({
      failoverWindowSeconds: 90,
      healthCheckSeconds: 120,
      eventGapSeconds: 5,
      sidRecoverySeconds: 60,
      rolloverMarginSeconds: 600,
    }),
    policies: policies.default({ pausedTimeCounts: true }),
    webhook: webhook.optional(),
    /** Record the channel too, in a second (recording-mode) session: recording-request.ts. */
    recording: recordingSchema().optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    for (const issue of recordingIssues(r)) ctx.addIssue({ code: 'custom', ...issue });
    const rc = r.recordingConfig;
    const spare = rolloverUidOf(r);
    const subscribed = [...(rc.subscribeVideoUids ?? []), ...(rc.subscribeAudioUids ?? [])];
    if (spare === r.recorderUid || subscribed.includes(spare)) {
      ctx.addIssue({
        code: 'custom',
        path: ['rolloverRecorderUid'],
        message: `${r.rolloverRecorderUid === undefined ? `(default ${spare}) ` : ''}must differ from recorderUid and from every subscribed uid: the second recorder bot joins the channel under it`,
      });
    }
    if (rc.subscribeAudioUids && !rc.subscribeVideoUids) {
      ctx.addIssue({
        code: 'custom',
        path: ['recordingConfig', 'subscribeAudioUids'],
        message: 'needs subscribeVideoUids too, or no video is captured',
      });
    }
    if (rc.streamTypes === 1 && (rc.subscribeAudioUids || rc.unSubscribeAudioUids)) {
      ctx.addIssue({
        code: 'custom',
        path: ['recordingConfig', 'subscribeAudioUids'],
        message: 'audio lists are not allowed with streamTypes 1 (video only)',
      });
    }
    if (rc.subscribeVideoUids && rc.unSubscribeVideoUids) {
      ctx.addIssue({
        code: 'custom',
        path: ['recordingConfig', 'unSubscribeVideoUids'],
        message: 'cannot be combined with subscribeVideoUids',
      });
    }
    if (rc.subscribeAudioUids && rc.unSubscribeAudioUids) {
      ctx.addIssue({
        code: 'custom',
        path: ['recordingConfig', 'unSubscribeAudioUids'],
        message: 'cannot be combined with subscribeAudioUids',
      });
    }
  });

/**
 * The second recorder uid of a request (see rolloverRecorderUid): given, or recorderUid + 1
 * (− 1 for the largest uid).
 */
export function rolloverUidOf(r: Pick<CaptureRequest, 'recorderUid' | 'rolloverRecorderUid'>): string {
  if (r.rolloverRecorderUid !== undefined) return r.rolloverRecorderUid;
  const n = Number(r.recorderUid);
  return String(n >= UID_MAX ? n - 1 : n + 1);
}

/** A capture request as written by a caller (defaults may be left out). */
export type CaptureRequestInput = z.input<typeof captureRequestSchema>;
/** A validated capture request with every default filled in. */
export type CaptureRequest = z.output<typeof captureRequestSchema>;

/** One broken rule: the dotted field path and what it must satisfy. */
export interface RequestIssue {
  field: string;
  rule: string;
}

export type ValidationResult = { ok: true; request: CaptureRequest } | { ok: false; issues: RequestIssue[] };

/** Validates a capture request; never throws. */
export function validateCaptureRequest(input: unknown): ValidationResult {
  const parsed = captureRequestSchema.safeParse(input);
  if (parsed.success) return { ok: true, request: parsed.data };
  const issues = parsed.error.issues.map((i) => ({
    field: i.path.length ? i.path.join('.') : '(request)',
    rule: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
  }));
  return { ok: false, issues };
}

/**
 * A new capture's request at the edge (the client, the CLI): its shape, then whether it can
 * deliver what it asks (request-delivery.ts). Never throws.
 */
export function validateNewCaptureRequest(input: unknown): ValidationResult {
  const v = validateCaptureRequest(input);
  if (!v.ok) return v;
  const issues = deliveryIssues(v.request);
  return issues.length > 0 ? { ok: false, issues } : v;
}

/** "channel: must be shorter than 64 bytes; recordingConfig.streamTypes: must be 1 ..." */
export function describeIssues(issues: RequestIssue[]): string {
  return issues.map((i) => `${i.field}: ${i.rule}`).join('; ');
}

/** The workflow id of a capture: one running capture per channel and recorder uid. */
export function captureWorkflowId(channel: string, recorderUid: string): string {
  return `capture/${channel}/${recorderUid}`;
}
