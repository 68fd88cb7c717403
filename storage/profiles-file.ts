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
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new StorageProfilesError(
      `AGORA_STORAGE_PROFILES: ${file} is not valid JSON (${(e as Error).message})`,
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
