import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvFileError, resolveEnvFiles } from '../../config/env-files';

const dir = mkdtempSync(path.join(tmpdir(), 'env-files-'));
const file = (name: string, content: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};
const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(EnvFileError);
    return (e as Error).message;
  }
  throw new Error('expected an EnvFileError');
};

describe('NAME_FILE variables', () => {
  it('read the value from the file, dropping the one trailing newline echo writes', () => {
    const env = resolveEnvFiles({ SECRET_FILE: file('s1', 'top-secret\n'), OTHER: 'x' }, ['SECRET']);
    expect(env.SECRET).toBe('top-secret');
    expect(env.OTHER).toBe('x');
  });

  it('leave a variable given directly as it is', () => {
    expect(resolveEnvFiles({ SECRET: 'direct' }, ['SECRET']).SECRET).toBe('direct');
  });

  it('ignore NAME_FILE for names not listed', () => {
    expect(resolveEnvFiles({ OTHER_FILE: file('o', 'v') }, ['SECRET']).OTHER).toBeUndefined();
  });

  it('refuse NAME and NAME_FILE together', () => {
    const msg = failure(() => resolveEnvFiles({ SECRET: 'a', SECRET_FILE: file('s2', 'b') }, ['SECRET']));
    expect(msg).toMatch(/SECRET_FILE: set SECRET or SECRET_FILE, not both/);
  });

  it('name the variable and the path of a missing file', () => {
    const missing = path.join(dir, 'nope');
    expect(failure(() => resolveEnvFiles({ SECRET_FILE: missing }, ['SECRET']))).toBe(
      `  SECRET_FILE: cannot read ${missing} (ENOENT)`,
    );
  });

  it('give an empty value for an empty file, for the schema to judge', () => {
    expect(resolveEnvFiles({ SECRET_FILE: file('empty', '\n') }, ['SECRET']).SECRET).toBe('');
  });
});
