/**
 * bin/agora-capture runs the build when it is current and the sources when a source file is
 * newer than the build (a stale build would run code that no longer matches the checkout).
 * Exercised on a scratch copy of the launcher with a stand-in build and stand-in sources.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const repo = path.resolve(__dirname, '../..');
let root: string;

function write(rel: string, text: string, mtimeS: number): void {
  const p = path.join(root, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
  utimesSync(p, mtimeS, mtimeS);
}

const run = () =>
  execFileSync(process.execPath, [path.join(root, 'bin', 'agora-capture')], { encoding: 'utf8' });

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'launcher-'));
  mkdirSync(path.join(root, 'bin'));
  copyFileSync(path.join(repo, 'bin', 'agora-capture'), path.join(root, 'bin', 'agora-capture'));
  symlinkSync(path.join(repo, 'node_modules'), path.join(root, 'node_modules'));
  write('client/cli/main.ts', 'process.stdout.write("sources");\n', 1_000_000);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('bin/agora-capture', () => {
  it('runs the build when no source is newer than it', () => {
    write('dist/client/cli/main.js', 'process.stdout.write("build");\n', 2_000_000);
    expect(run()).toBe('build');
  });

  it('runs the sources when a source file is newer than the build', () => {
    write('dist/client/cli/main.js', 'process.stdout.write("build");\n', 2_000_000);
    write('workflows/machine.ts', 'export {};\n', 3_000_000);
    expect(run()).toBe('sources');
  });

  it('runs the sources when there is no build', () => {
    expect(run()).toBe('sources');
  });
});
