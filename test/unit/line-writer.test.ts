import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineWriter } from '../../client/receiver/line-writer';

const FIXTURE = path.join(__dirname, 'fixtures', 'exit-with-pending-lines.ts');

function run(how: 'exit' | 'crash'): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', FIXTURE, how], { timeout: 30_000 }, (err, stdout) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout }),
    );
  });
}

describe('the receiver log line writer', () => {
  it('writes the lines of one event-loop turn in one write, in order', async () => {
    const chunks: string[] = [];
    const write = lineWriter((c) => chunks.push(c));
    write('a\n');
    write('b\n');
    write('c\n');
    expect(chunks).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(chunks).toEqual(['a\nb\nc\n']);
    write('d\n');
    await new Promise((r) => setImmediate(r));
    expect(chunks).toEqual(['a\nb\nc\n', 'd\n']);
  });

  it('writes pending lines when the process exits in the same turn', async () => {
    expect(await run('exit')).toEqual({ code: 0, stdout: 'first\nsecond\n' });
  });

  it('writes pending lines when the process dies of an uncaught exception', async () => {
    const { code, stdout } = await run('crash');
    expect(code).not.toBe(0);
    expect(stdout).toBe('first\nsecond\n');
  });
});
