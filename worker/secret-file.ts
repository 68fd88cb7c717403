/**
 * Credentials kept in files (mounted secrets), so they can rotate without a restart. A file
 * holds one value; surrounding whitespace (a trailing newline) is not part of it. Problems name
 * the file, never its content.
 */
import { readFileSync } from 'node:fs';

export type SecretRead = { ok: true; value: string } | { ok: false; problem: string };

/** Reads one secret value from `file`. */
export function readSecretFile(file: string): SecretRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    return { ok: false, problem: `cannot read ${file} (${code})` };
  }
  const value = text.trim();
  if (value === '') return { ok: false, problem: `${file} is empty` };
  if (/[\r\n]/.test(value)) return { ok: false, problem: `${file} must hold one line` };
  return { ok: true, value };
}
