import { describe, expect, it } from 'vitest';
import { buildManifest } from '../../storage/build-manifest';
import type { CaptureRecord, Manifest } from '../../storage/manifest';
import { escapeHtml } from '../../client/timeline/escape';
import { renderTimeline } from '../../client/timeline/render';
import { screenshotKey } from '../helpers/screenshot-keys';

const SID0 = 'a'.repeat(32);
const SID1 = 'b'.repeat(32);
const T0 = Date.UTC(2026, 10, 29, 12, 0, 0);
const key = (uid: string, ms: number, sid = SID0, bak = '') => screenshotKey({ sid, uid, ms, bak });

/** Two segments (an operator pause between them), a failover in the first, two uids. */
const record: CaptureRecord = {
  workflowId: 'capture/room/1',
  channel: 'room',
  storageProfile: 'default',
  captureIntervalSeconds: 10,
  segments: [
    { index: 0, sid: SID0, startedAtMs: T0, endedAtMs: T0 + 60_000 },
    { index: 1, sid: SID1, startedAtMs: T0 + 120_000, endedAtMs: T0 + 180_000 },
  ],
  pauses: [{ kind: 'operator', startMs: T0 + 60_000, endMs: T0 + 120_000 }],
  failovers: [{ startMs: T0 + 25_000, endMs: T0 + 35_000, sid: SID0, index: 0 }],
  callbackRecord: { '1001': { count: 3 }, '1002': { count: 1 } },
};
const keys1001 = [
  key('1001', T0 + 10_000),
  key('1001', T0 + 20_000),
  key('1001', T0 + 40_000, SID0, 'bak0_'),
  key('1001', T0 + 130_000, SID1),
  key('1001', T0 + 170_000, SID1),
];
const keys1002 = [key('1002', T0 + 10_000), key('1002', T0 + 150_000, SID1)];
const manifest: Manifest = buildManifest(record, {
  nowMs: T0 + 200_000,
  prefix: ['p'],
  bucket: 'b',
  listedPrefixes: ['p/'],
  listing: [...keys1001, ...keys1002].map((k) => ({ key: k, size: 10 })),
});
const allKeys = [...keys1001, ...keys1002];
const urls = new Map(allKeys.map((k) => [k, `https://s3.example/b/${k}?X-Amz-Signature=1&x=2`]));

/** Every opening tag with the given class, with its attributes as a record. */
function elements(html: string, cls: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of html.matchAll(/<(\w+)((?:\s+[\w-]+(?:="[^"]*")?)*)\s*>/g)) {
    const attrs: Record<string, string> = { tag: m[1]! };
    for (const a of m[2]!.matchAll(/([\w-]+)(?:="([^"]*)")?/g)) attrs[a[1]!] = a[2] ?? '';
    if ((attrs.class ?? '').split(' ').includes(cls)) out.push(attrs);
  }
  return out;
}
const leftPx = (style: string | undefined) => Number(/left:([\d.]+)px/.exec(style ?? '')?.[1]);

describe('renderTimeline', () => {
  const html = renderTimeline(manifest, { images: urls, imageMode: 'presigned', presignSeconds: 3600 });

  it('dates the presigned URLs from their signing, not from the manifest', () => {
    const signed = '2026-12-01T09:00:00.000Z'; // a day after the manifest was written
    const page = renderTimeline(manifest, {
      images: urls,
      imageMode: 'presigned',
      presignSeconds: 3600,
      presignedAt: signed,
    });
    expect(page).toContain(`valid 3600s from ${signed}`);
    expect(page).not.toContain(`valid 3600s from ${manifest.generatedAt}`);
  });

  it('draws one image per manifest entry, each with its key and its URL', () => {
    const imgs = elements(html, 'shot');
    expect(imgs).toHaveLength(allKeys.length);
    expect(imgs.every((i) => i.tag === 'img')).toBe(true);
    expect(imgs.map((i) => i['data-key']).sort()).toEqual([...allKeys].sort());
    for (const i of imgs) expect(i.src).toBe(escapeHtml(urls.get(i['data-key']!)!));
  });

  it('puts one row per uid and places its thumbnails left to right by capture time on a shared axis', () => {
    const rows = elements(html, 'row');
    expect(rows.map((r) => r['data-uid'])).toEqual(['1001', '1002']);
    const byKey = new Map(elements(html, 'shot').map((i) => [i['data-key']!, leftPx(i.style)]));
    const lefts = keys1001.map((k) => byKey.get(k)!);
    expect(lefts).toEqual([...lefts].sort((a, b) => a - b));
    expect(new Set(lefts).size).toBe(lefts.length);
    // Same capture time in two rows: same x.
    expect(byKey.get(key('1002', T0 + 10_000))).toBe(byKey.get(key('1001', T0 + 10_000)));
  });

  it('shades the failover and the operator pause in every row, where they happened', () => {
    const gaps = elements(html, 'gap');
    expect(gaps.filter((g) => g['data-gap'] === 'failover')).toHaveLength(2);
    expect(gaps.filter((g) => g['data-gap'] === 'operator-pause')).toHaveLength(2);
    const failover = gaps.find((g) => g['data-gap'] === 'failover')!;
    const at = (ms: number) =>
      leftPx(elements(html, 'shot').find((i) => i['data-captured-at'] === new Date(ms).toISOString())!.style);
    expect(leftPx(failover.style)).toBeGreaterThan(at(T0 + 20_000));
    expect(leftPx(failover.style)).toBeLessThan(at(T0 + 40_000));
  });

  it('marks each segment start and end', () => {
    const b = elements(html, 'boundary');
    expect(b.map((x) => `${x['data-segment']}:${x.class}`)).toEqual(
      expect.arrayContaining(['0:boundary start', '0:boundary end', '1:boundary start', '1:boundary end']),
    );
    expect(b).toHaveLength(4 * 2);
  });

  it('shows each uid coverage: found over expected', () => {
    const rows = elements(html, 'row');
    expect(rows.map((r) => Number(r['data-coverage']))).toEqual([
      manifest.uids['1001']!.coverage,
      manifest.uids['1002']!.coverage,
    ]);
    expect(html).toContain(`5 found / ${manifest.expectedPerUid} expected`);
    expect(html).toContain(`coverage ${Math.round(manifest.uids['1002']!.coverage * 1000) / 10}%`);
  });

  it('marks a bak file after a failover', () => {
    const bak = elements(html, 'bak');
    expect(bak.map((i) => i['data-key'])).toEqual([key('1001', T0 + 40_000, SID0, 'bak0_')]);
  });

  it('is self-contained: no script, no external stylesheet or font, a CSP that forbids them', () => {
    expect(html).not.toMatch(/<script|<link|@import|url\(/i);
    expect(html).toContain(
      `content="default-src 'none'; img-src data: http: https:; style-src 'unsafe-inline'"`,
    );
  });

  it('escapes every text and attribute it takes from the manifest', () => {
    const evil = '"><script>alert(1)</script>&\'';
    const m: Manifest = {
      ...manifest,
      workflowId: `capture/${evil}/1`,
      channel: evil,
      note: evil,
      uids: {
        [evil]: {
          ...manifest.uids['1001']!,
          keys: [{ ...manifest.uids['1001']!.keys[0]!, key: `p/${evil}.jpg` }],
        },
      },
    };
    const out = renderTimeline(m, {
      images: new Map([[`p/${evil}.jpg`, 'https://x/y']]),
      imageMode: 'presigned',
    });
    expect(out).not.toContain('<script');
    expect(out).not.toContain(evil);
    expect(out).toContain(escapeHtml(evil));
    expect(elements(out, 'shot')[0]!['data-key']).toBe(escapeHtml(`p/${evil}.jpg`));
  });

  it('draws a key without a usable source as a missing tile, and says why', () => {
    const [first, second, ...rest] = allKeys;
    const images = new Map(rest.map((k) => [k, 'data:image/jpeg;base64,/9j/']));
    images.set(second!, 'javascript:alert(1)');
    const out = renderTimeline(manifest, {
      images,
      imageMode: 'embedded',
      missingReason: 'reading x: NoSuchKey',
    });
    const missing = elements(out, 'missing');
    expect(missing.map((x) => x['data-key']).sort()).toEqual([first, second].sort());
    expect(missing.every((x) => x.tag === 'span')).toBe(true);
    expect(out).not.toContain('javascript:');
    expect(out).toContain('2 without an image (reading x: NoSuchKey)');
    expect(elements(out, 'shot').filter((x) => x.tag === 'img')).toHaveLength(rest.length);
  });

  it('says when the manifest was built for the page instead of read from the bucket', () => {
    const out = renderTimeline(manifest, {
      images: urls,
      imageMode: 'presigned',
      provisional: 'no manifest.json yet',
    });
    expect(elements(out, 'provisional')).toHaveLength(1);
    expect(out).toContain('no manifest.json yet');
    expect(html).not.toContain('class="provisional"');
  });

  it('renders a callback-only manifest as rows without thumbnails, with its note', () => {
    const m = buildManifest(record, {
      nowMs: T0 + 200_000,
      prefix: ['p'],
      listedPrefixes: [],
      note: 'vendor 2 cannot be listed',
    });
    const out = renderTimeline(m, { images: new Map(), imageMode: 'presigned' });
    expect(elements(out, 'shot')).toHaveLength(0);
    expect(elements(out, 'row')).toHaveLength(2);
    expect(out).toContain('callbacks-only (vendor 2 cannot be listed)');
    expect(out).toContain('3 callbacks /');
  });
});
