/**
 * The webhook secrets file (AGORA_CAPTURE_WEBHOOK_SECRETS): `{"<name>": "whsec_…"}`. Captures
 * name a secret; only workers hold the values. Problems name the file and the secret's name,
 * never a value.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { webhookSecretProblem } from '../activities/webhooks/sign';

const secretsSchema = z.record(
  z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'secret names use letters, digits, . _ - (at most 64)'),
  z.unknown().superRefine((v, ctx) => {
    const problem = webhookSecretProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
);

/** Reads and validates the file; returns the secrets or one message saying what is wrong. */
export function loadWebhookSecrets(
  file: string,
): { ok: true; secrets: Record<string, string> } | { ok: false; problem: string } {
  if (!existsSync(file)) return { ok: false, problem: `file not found: ${file}` };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // JSON.parse's message can quote the file's text, and this file holds secrets.
    return { ok: false, problem: `${file} is not valid JSON` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return { ok: false, problem: `${file} must be a JSON object {"<name>": "whsec_…"}` };
  const parsed = secretsSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) =>
      i.code === 'invalid_key'
        ? `  ${String(i.path[0] ?? '')}: invalid secret name`
        : `  ${i.path.join('.')}: ${i.message}`,
    );
    return { ok: false, problem: `${file} is invalid:\n${lines.join('\n')}` };
  }
  return { ok: true, secrets: parsed.data as Record<string, string> };
}
