/**
 * Reads the storage profiles file (AGORA_STORAGE_PROFILES) for the worker and the CLI alike.
 * Errors name the file and each bad field, never a value: profiles hold storage credentials.
 */
import { existsSync, readFileSync } from 'node:fs';
import { StorageProfiles } from './profile';

/** A profiles file that is missing, not JSON, or not valid; the message says which field and rule. */
export class StorageProfilesError extends Error {
  override name = 'StorageProfilesError';
}

/** Loads and validates the profiles file at `file`. */
export function loadStorageProfiles(file: string): StorageProfiles {
  if (!existsSync(file)) throw new StorageProfilesError(`AGORA_STORAGE_PROFILES: file not found: ${file}`);
  const text = readFileSync(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    // Where, never what: JSON.parse's own message quotes the text around the error, which may be
    // a storage key (an unquoted secretKey value).
    throw new StorageProfilesError(
      `AGORA_STORAGE_PROFILES: ${file} is not valid JSON${jsonErrorPlace(text, e as Error)}`,
    );
  }
  const profiles = StorageProfiles.safeParse(json);
  if (!profiles.success) {
    // Name the field, never echo the value: these objects hold storage keys.
    const lines = profiles.error.issues.map(
      (i) => `  ${i.path.join('.')}: ${i.message.replace(/received .*/, '')}`,
    );
    throw new StorageProfilesError(`AGORA_STORAGE_PROFILES: ${file} is invalid:\n${lines.join('\n')}`);
  }
  return profiles.data;
}

/** " (line L, column C)" of a JSON.parse error that gives its position; else "". */
function jsonErrorPlace(text: string, e: Error): string {
  const at = /at position (\d+)/.exec(e.message);
  if (at) {
    const before = text.slice(0, Number(at[1]));
    const line = before.split('\n').length;
    return ` (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
  }
  if (/end of (JSON )?input/i.test(e.message)) return ' (it ends too early)';
  return '';
}
