/**
 * Input handling of `agora-capture` found in a new-user trial: every bad input exits 2 naming
 * the flag and its rule, once; --json failures still print one JSON object. No server: the env
 * points at a closed port, so a command line that got past its checks fails with exit 1.
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reasonProblem } from '../../client/cli/args';
import { captureStorage } from '../../client/cli/capture-storage';
import { cliSettings } from '../../client/cli/env';
import { CliFailure } from '../../client/cli/errors';
import type { CliIo } from '../../client/cli/io';
import { packageVersion, runCli } from '../../client/cli/run';

const repo = path.resolve(__dirname, '../..');
const OFFLINE = { TEMPORAL_ADDRESS: '127.0.0.1:1' };

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false };
  const code = await runCli(argv, io, OFFLINE);
  return { code, out, err };
}

/** A start command line that passes every check (it then fails to connect: exit 1). */
const START = ['start', '--channel', 'room1', '--uid', '131', '--interval', '5', '--duration', '20s'];
/** `START` with `flag` set to `value` instead (or added). */
function startWith(flag: string, value: string): string[] {
  const i = START.indexOf(flag);
  return i === -1 ? [...START, flag, value] : START.map((t, j) => (j === i + 1 ? value : t));
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('the trial command lines', () => {
  it('gets past every check with the valid start line (so each case below breaks one thing)', async () => {
    const r = await run(...START);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot reach Temporal/);
  });

  it.each([
    [
      '--record-files without --record-uid',
      startWith('--record-files', 'hls,mp4'),
      /: --record-files needs --record-uid \(the recording session's/,
    ],
    [
      '--record-storage without --record-uid',
      startWith('--record-storage', 'rec'),
      /: --record-storage needs --record-uid/,
    ],
    [
      "the trial's --record-files and --record-storage without --record-uid",
      [...startWith('--record-files', 'hls,mp4'), '--record-storage', 'nosuch'],
      /: --record-files and --record-storage need --record-uid/,
    ],
    ['--duration -5', startWith('--duration', '-5'), /: --duration: must be positive, got "-5": use seconds/],
    ['--max-idle -1', startWith('--max-idle', '-1'), /: --max-idle: must be positive, got "-1"/],
    ["start --channel ''", startWith('--channel', ''), /: --channel must not be empty\n/],
    ['--uid given twice', [...START, '--uid', '2'], /: --uid given twice: each option takes one value\n/],
    ["stop --channel ''", ['stop', '--channel', '', '--uid', '1'], /: --channel must not be empty\n/],
    [
      'a reason with an escape sequence',
      ['stop', 'capture/a/1', '--reason', '\u001b[2Jgone'],
      /: --reason must not contain control characters/,
    ],
    [
      'a reason with a newline',
      ['stop', 'capture/a/1', '--reason', 'line1\nstop outcome  stopped'],
      /found U\+000A at character 6/,
    ],
    [
      'a reason of 5000 characters',
      ['pause', 'capture/a/1', '--reason', 'x'.repeat(5000)],
      /: --reason must be at most 500 characters, got 5000/,
    ],
    [
      '--reason given twice',
      ['stop', 'capture/a/1', '--reason', 'a', '--reason', 'b'],
      /: --reason given twice/,
    ],
    [
      '--channel followed by another option',
      START.filter((t) => t !== 'room1'),
      /: --channel needs a value \(a value that starts with - is written --channel=-…\)/,
    ],
  ])('%s exits 2 naming the flag and the rule', async (_, argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
  });

  it('says "must not be empty", not "is required", for a flag given empty', async () => {
    const r = await run(...startWith('--channel', ''));
    expect(r.err).not.toContain('--channel is required');
  });

  it.each([
    ['--uid', 'abc', '--uid (recorderUid): recorderUid must be an integer from 1 to 4294967295'],
    [
      '--video-uids',
      '1,abc',
      '--video-uids (recordingConfig.subscribeVideoUids.1): each subscribeVideoUids entry must be',
    ],
  ])('prints the rule %s %s breaks once, though two checks state it', async (flag, value, line) => {
    const r = await run(...startWith(flag, value));
    expect(r.code).toBe(2);
    expect(occurrences(r.err, line)).toBe(1);
  });

  it('says that a uid with a leading zero breaks the no-leading-zeros rule', async () => {
    const r = await run(...startWith('--uid', '01'));
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      '--uid (recorderUid): recorderUid must be an integer from 1 to 4294967295 without leading zeros: 1, not 01',
    );
  });

  it.each([
    ['1001,1001', 'must name each uid once (1001 given twice)'],
    ['#allstream#,1001', "#allstream# means every uid, so it must be the list's only entry"],
    ['131', "must not name the recorder bot's own uid (131)"],
  ])('refuses --video-uids %s, which Agora would bill without capturing as asked', async (uids, rule) => {
    const r = await run(...startWith('--video-uids', uids));
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--video-uids (recordingConfig.subscribeVideoUids): ${rule}`);
    expect(occurrences(r.err, '--video-uids (')).toBe(1);
  });

  it('names the --record-* flag of a broken recording rule', async () => {
    const same = await run(...startWith('--record-uid', '131'));
    expect(same.code).toBe(2);
    expect(same.err).toContain('--record-uid (recording.recorderUid): must differ from recorderUid');
    const mp4 = await run(...startWith('--record-uid', '132'), '--record-files', 'mp4');
    expect(mp4.code).toBe(2);
    expect(mp4.err).toContain('--record-files (recording.recordingFileConfig.avFileType): must be ["hls"]');
  });

  it('accepts a reason of 500 characters in any script, as the pause and stop validators do', () => {
    expect(reasonProblem('é'.repeat(250) + 'x'.repeat(250))).toBeUndefined();
  });

  it('refuses a reason of 501 characters', () => {
    expect(reasonProblem('x'.repeat(501))).toBe('must be at most 500 characters, got 501');
  });

  it.each([
    ['tab', '\t'],
    ['DEL', '\u007f'],
    ['C1 CSI', '\u009b'],
    ['NUL', '\u0000'],
  ])('refuses a reason with %s', (_, c) => {
    expect(reasonProblem(`class${c}ended`)).toMatch(
      /^must not contain control characters .* at character 6$/,
    );
  });
});

describe('--json failures', () => {
  const onlyJson = (out: string) => {
    expect(out.trim().split('\n')).toHaveLength(1);
    return JSON.parse(out) as { error: { message: string; exitCode: number; issues?: unknown } };
  };

  it('prints one error object on stdout and the human line on stderr', async () => {
    const r = await run('status', 'capture/nosuch/1', '--json');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^agora-capture status: cannot reach Temporal at 127\.0\.0\.1:1/);
    expect(onlyJson(r.out)).toEqual({
      error: { message: expect.stringMatching(/^cannot reach Temporal/), exitCode: 1 },
    });
  });

  it('prints a usage error as an object with exit code 2', async () => {
    const r = await run('status', '--json');
    expect(r.code).toBe(2);
    expect(r.err).toContain('which capture?');
    expect(onlyJson(r.out).error).toEqual({
      message: expect.stringContaining('which capture?'),
      exitCode: 2,
    });
  });

  it("gives an invalid start request's issues with their flags", async () => {
    const r = await run(...startWith('--uid', 'abc'), '--json');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--uid (recorderUid):');
    expect(onlyJson(r.out).error).toMatchObject({
      exitCode: 2,
      issues: [{ field: 'recorderUid', flag: '--uid', rule: expect.stringContaining('must be an integer') }],
    });
  });
});

describe('--version', () => {
  const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string };

  it("prints package.json's version with exit 0", async () => {
    expect(await run('--version')).toEqual({ code: 0, out: `agora-capture ${pkg.version}\n`, err: '' });
  });

  it('finds package.json from the sources and from the build layout (dist/client/cli)', () => {
    expect(packageVersion(path.join(repo, 'client', 'cli'))).toBe(pkg.version);
    expect(packageVersion(path.join(repo, 'dist', 'client', 'cli'))).toBe(pkg.version);
  });
});

describe('a bad AGORA_STORAGE_PROFILES for manifest, latest and timeline', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cli-profiles-'));
  const bad = path.join(dir, 'profiles.json');
  writeFileSync(bad, JSON.stringify({ default: { vendor: 'nope' } }));
  const ctx = {
    settings: cliSettings(OFFLINE),
    client: () => Promise.reject(new Error('must not connect')),
  };
  const failure = (env: NodeJS.ProcessEnv) =>
    captureStorage(ctx, 'capture/a/1', env).catch((e: unknown) => e);

  it('an invalid file is a bad environment (exit 2) naming the file, found before connecting', async () => {
    const e = await failure({ AGORA_STORAGE_PROFILES: bad });
    expect(e).toBeInstanceOf(CliFailure);
    expect(e).toMatchObject({
      code: 2,
      message: expect.stringContaining(`AGORA_STORAGE_PROFILES: ${bad} is invalid`),
    });
  });

  it('an unset variable is a bad environment (exit 2)', async () => {
    expect(await failure({})).toMatchObject({
      code: 2,
      message: expect.stringContaining('AGORA_STORAGE_PROFILES is not set'),
    });
  });
});
