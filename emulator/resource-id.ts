/**
 * resourceIds: long opaque strings that carry what acquire decided (appid, cname, uid, issue
 * time, resourceExpiredHour, a digest of startParameter). They are sealed with AES-256-GCM under
 * a key private to this emulator instance, so a forged or truncated id fails to decode (code
 * 1001) exactly like a real one, and the emulator needs no table of acquired ids.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

/** What a resourceId carries. */
export interface ResourceClaims {
  appId: string;
  cname: string;
  uid: string;
  issuedAt: number;
  resourceExpiredHour: number;
  /** sha256 of the canonical JSON of acquire's startParameter, when one was sent. */
  startParameterDigest?: string;
}

const claimsSchema = z.object({
  a: z.string(),
  c: z.string(),
  u: z.string(),
  t: z.number(),
  h: z.number(),
  s: z.string().optional(),
  n: z.string(),
});

/** Canonical JSON (sorted keys) so that key order never makes equal objects differ. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 hex of the canonical JSON of `value`. */
export function digest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/**
 * Seals and opens resourceIds. The key comes from the app's credentials when given, so a
 * restarted emulator (npm run dev) still recognises its own resourceIds — and answers 404 for
 * sessions it forgot, as Agora does for a gone task, rather than "cannot decrypt".
 */
export class ResourceIdCodec {
  private readonly key: Buffer;

  constructor(secret?: string) {
    this.key =
      secret === undefined
        ? randomBytes(32)
        : createHash('sha256').update(`agora-emulator-resource-id:${secret}`).digest();
  }

  /** Seals claims into a URL-safe opaque string. */
  encode(claims: ResourceClaims): string {
    const payload = {
      a: claims.appId,
      c: claims.cname,
      u: claims.uid,
      t: claims.issuedAt,
      h: claims.resourceExpiredHour,
      s: claims.startParameterDigest,
      // Random padding keeps ids long and distinct, like Agora's.
      n: randomBytes(24).toString('base64url'),
    };
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
  }

  /** Opens a resourceId; undefined when it was not issued by this instance or was altered. */
  decode(resourceId: string): ResourceClaims | undefined {
    try {
      const raw = Buffer.from(resourceId, 'base64url');
      if (raw.length < 12 + 16 + 1 || raw.toString('base64url') !== resourceId) return undefined;
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(raw.length - 16));
      const plain = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
      const p = claimsSchema.parse(JSON.parse(plain.toString('utf8')));
      return {
        appId: p.a,
        cname: p.c,
        uid: p.u,
        issuedAt: p.t,
        resourceExpiredHour: p.h,
        startParameterDigest: p.s,
      };
    } catch {
      return undefined;
    }
  }
}
