import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStorageProfiles } from '../../../storage/profiles-file';
import { storageProfile } from '../../helpers/fixtures';

const SECRET = 'T55IfmoA7U0GkQx9wZr2bN4vYc8LpE1sJdHuKtMq';

/** A profiles file holding `text`. */
function fileWith(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'profiles-file-')), 'profiles.json');
  writeFileSync(file, text);
  return file;
}

/** The message loading `text` fails with. */
function errorOf(text: string): string {
  try {
    loadStorageProfiles(fileWith(text));
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the file loaded');
}

describe('the storage profiles file', () => {
  it('that is not JSON because a secret key is unquoted is refused without any of the key', () => {
    const valid = JSON.stringify({ default: storageProfile({ secretKey: SECRET }) }, null, 2);
    const message = errorOf(valid.replace(`"${SECRET}"`, SECRET));
    expect(message).toMatch(/is not valid JSON/);
    // Not even a few characters of it (JSON.parse's own message quotes the text around the error).
    for (let i = 0; i + 4 <= SECRET.length; i++) expect(message).not.toContain(SECRET.slice(i, i + 4));
  });

  it('that is not JSON says where, by line and column, when the parser tells the position', () => {
    expect(errorOf('{\n  "default": {}\n  "other": {}\n}')).toMatch(
      /is not valid JSON \(line 3, column 3\)$/,
    );
  });

  it('that ends too early says so', () => {
    expect(errorOf('{"default": ')).toMatch(/is not valid JSON \(it ends too early\)$/);
  });
});
