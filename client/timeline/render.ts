/**
 * The timeline page: one self-contained HTML document (inline CSS, no script, no external
 * font or stylesheet; a Content-Security-Policy forbids anything else) showing, per captured
 * uid, a row of thumbnails placed by capture time on an axis shared by every row, the
 * capture's pauses and failovers shaded, segment boundaries marked, and the uid's coverage.
 * Pure: the caller resolves each key's image source (presigned URL or data: URI).
 */
import type { GapKind, Manifest, ManifestGap, UidManifest } from '../../storage/manifest';
import { escapeHtml as esc } from './escape';

export interface RenderOptions {
  /** Image source per object key; a key without one is drawn as a missing tile that says so. */
  images: ReadonlyMap<string, string>;
  /** How the sources were made: shown on the page. */
  imageMode: 'presigned' | 'embedded';
  /** Seconds the presigned URLs stay valid (presigned mode). */
  presignSeconds?: number;
  /** When they were signed (ISO): their validity runs from then, not from the manifest's time. */
  presignedAt?: string;
  /** Where the manifest was read (s3://bucket/key). */
  where?: string;
  /** Set when the manifest was built for this page rather than read: why, shown prominently. */
  provisional?: string;
  /** Why some images have no source (e.g. an object that could not be read). */
  missingReason?: string;
}

/** Pixels per capture interval on the axis: room for a thumbnail in one of two lanes. */
const PX_PER_INTERVAL = 30;
const MIN_TRACK_PX = 640;
const MAX_TRACK_PX = 24_000;
/** Above this many images, the browser loads them as they scroll into view. */
const LAZY_ABOVE = 300;

const GAP_LABEL: Record<GapKind, string> = {
  'video-lost': 'video lost',
  'operator-pause': 'operator pause',
  failover: 'failover',
  'between-segments': 'between segments',
  unexplained: 'unexplained',
};

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
const px = (x: number) => `${Math.round(x * 10) / 10}px`;

/** Only sources that cannot run anything: http(s) URLs and image data: URIs. */
function safeSrc(src: string | undefined): string | undefined {
  if (src === undefined) return undefined;
  return /^(https?:\/\/|data:image\/(jpeg|png|webp);base64,)/i.test(src) ? src : undefined;
}

/** The time span the axis covers: segments, gaps and every screenshot. */
function axisSpan(m: Manifest): [number, number] {
  const times: number[] = [];
  for (const s of m.segments) {
    times.push(Date.parse(s.startedAt), Date.parse(s.endedAt ?? m.generatedAt));
  }
  for (const g of m.gaps) times.push(Date.parse(g.start), Date.parse(g.end));
  for (const u of Object.values(m.uids)) for (const k of u.keys) times.push(Date.parse(k.capturedAt));
  const valid = times.filter(Number.isFinite);
  const start = valid.length ? Math.min(...valid) : Date.parse(m.generatedAt);
  const end = valid.length ? Math.max(...valid) : start;
  // Room for the last thumbnail after the last capture time.
  return [start, Math.max(end, start) + m.captureIntervalSeconds * 1000];
}

/** Maps times to pixels along the track. */
interface Axis {
  startMs: number;
  endMs: number;
  widthPx: number;
  x(ms: number): number;
}

function axisOf(m: Manifest): Axis {
  const [startMs, endMs] = axisSpan(m);
  const intervals = (endMs - startMs) / Math.max(1, m.captureIntervalSeconds * 1000);
  const widthPx = Math.min(MAX_TRACK_PX, Math.max(MIN_TRACK_PX, Math.ceil(intervals * PX_PER_INTERVAL)));
  return { startMs, endMs, widthPx, x: (ms) => ((ms - startMs) / (endMs - startMs)) * widthPx };
}

function gapBox(g: ManifestGap, axis: Axis, cls: string): string {
  const left = axis.x(Date.parse(g.start));
  const width = Math.max(2, axis.x(Date.parse(g.end)) - left);
  const title = `${GAP_LABEL[g.kind]}: ${g.start} → ${g.end} (${g.seconds}s)`;
  return `<div class="${cls} gap-${esc(g.kind)}" data-gap="${esc(g.kind)}" style="left:${px(left)};width:${px(width)}" title="${esc(title)}"></div>`;
}

function boundaries(m: Manifest, axis: Axis): string {
  return m.segments
    .flatMap((s) => [
      `<div class="boundary start" data-segment="${s.index}" style="left:${px(axis.x(Date.parse(s.startedAt)))}" title="${esc(`segment ${s.index} (sid ${s.sid ?? 'unknown'}) started ${s.startedAt}`)}"></div>`,
      ...(s.endedAt
        ? [
            `<div class="boundary end" data-segment="${s.index}" style="left:${px(axis.x(Date.parse(s.endedAt)))}" title="${esc(`segment ${s.index} ended ${s.endedAt}`)}"></div>`,
          ]
        : []),
    ])
    .join('');
}

function ticks(axis: Axis): string {
  const n = Math.max(2, Math.min(12, Math.floor(axis.widthPx / 160)));
  const out: string[] = [];
  for (let i = 0; i <= n; i++) {
    const ms = axis.startMs + ((axis.endMs - axis.startMs) * i) / n;
    const label = new Date(ms).toISOString().slice(11, 19);
    out.push(`<span class="tick" style="left:${px(axis.x(ms))}">${esc(label)}</span>`);
  }
  return out.join('');
}

function row(
  uid: string,
  u: UidManifest,
  m: Manifest,
  axis: Axis,
  opts: RenderOptions,
  lazy: boolean,
): string {
  const counted = u.found ?? u.callbacks;
  const what = u.found !== undefined ? 'found' : 'callbacks';
  const shots = u.keys
    .map((k, i) => {
      const left = px(axis.x(Date.parse(k.capturedAt)));
      const top = i % 2 === 0 ? '4px' : '40px';
      const title = `uid ${uid} at ${k.capturedAt}${k.failover !== undefined ? ` (after failover ${k.failover})` : ''}\n${k.key}`;
      const src = safeSrc(opts.images.get(k.key));
      const attrs = `data-key="${esc(k.key)}" data-captured-at="${esc(k.capturedAt)}" style="left:${left};top:${top}" title="${esc(title)}"`;
      return src === undefined
        ? `<span class="shot missing" ${attrs}>no image</span>`
        : `<img class="shot${k.failover !== undefined ? ' bak' : ''}" ${attrs} src="${esc(src)}" alt="${esc(`uid ${uid} at ${k.capturedAt}`)}"${lazy ? ' loading="lazy"' : ''}>`;
    })
    .join('');
  return `<section class="row" data-uid="${esc(uid)}" data-coverage="${u.coverage}">
<div class="label"><strong>uid ${esc(uid)}</strong><br>${counted} ${what} / ${u.expected} expected<br>coverage ${esc(pct(u.coverage))}${u.bakFiles ? `<br>${u.bakFiles} bak files` : ''}<div class="bar"><div style="width:${pct(Math.min(1, u.coverage))}"></div></div></div>
<div class="track" style="width:${px(axis.widthPx)}">${m.gaps.map((g) => gapBox(g, axis, 'gap')).join('')}${u.gaps.map((g) => gapBox(g, axis, 'uid-gap')).join('')}${boundaries(m, axis)}${shots}</div>
</section>`;
}

const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:16px;color:#1b1b1b;background:#fafafa}
h1{font-size:18px;margin:0 0 8px}
.meta{margin:0 0 4px}
.provisional{background:#fff4cc;border:1px solid #e0c060;padding:6px 8px;display:inline-block}
.legend span{display:inline-block;margin-right:14px}
.legend i{display:inline-block;width:14px;height:10px;margin-right:4px;vertical-align:middle}
.scroll{overflow-x:auto;border:1px solid #ccc;background:#fff}
.timeline{position:relative;padding:0 12px 8px 0}
.axis{position:relative;height:22px;margin-left:170px;border-bottom:1px solid #999}
.tick{position:absolute;top:3px;font-size:11px;color:#555;white-space:nowrap;transform:translateX(-50%)}
.row{display:flex;border-bottom:1px solid #eee}
.label{flex:0 0 160px;padding:6px 10px 6px 0;font-size:12px}
.bar{height:5px;background:#eee;margin-top:3px}.bar div{height:5px;background:#2a8f3b}
.track{position:relative;height:78px}
.gap{position:absolute;top:0;bottom:0}
.uid-gap{position:absolute;bottom:0;height:5px}
.gap-video-lost,.legend .gap-video-lost{background:rgba(240,150,40,.25)}
.gap-operator-pause,.legend .gap-operator-pause{background:rgba(120,120,120,.25)}
.gap-failover,.legend .gap-failover{background:rgba(220,40,40,.25)}
.gap-between-segments,.legend .gap-between-segments{background:rgba(80,80,200,.18)}
.uid-gap.gap-unexplained,.legend .gap-unexplained{background:#c00}
.boundary{position:absolute;top:0;bottom:0;width:0;border-left:2px dashed #3050c0}
.boundary.end{border-left-color:#8090c0}
.shot{position:absolute;width:48px;height:34px;object-fit:cover;border:1px solid #444;background:#ddd}
.shot.bak{border-color:#c00}
.shot.missing{font-size:9px;text-align:center;color:#900}
`;

function legend(): string {
  const item = (cls: string, text: string) => `<span><i class="${cls}"></i>${esc(text)}</span>`;
  return `<p class="legend">${item('gap-video-lost', 'video lost')}${item('gap-operator-pause', 'operator pause')}${item('gap-failover', 'failover')}${item('gap-between-segments', 'between segments')}${item('gap-unexplained', 'unexplained gap (per uid)')}<span>dashed line: segment start/end; red border: bak file after a failover</span></p>`;
}

/** The whole page for `m`. */
export function renderTimeline(m: Manifest, opts: RenderOptions): string {
  const axis = axisOf(m);
  const entries = Object.entries(m.uids);
  const total = entries.reduce((n, [, u]) => n + u.keys.length, 0);
  const lazy = total > LAZY_ABOVE;
  const images =
    opts.imageMode === 'embedded'
      ? 'images embedded in the page'
      : `images are presigned URLs${opts.presignSeconds !== undefined && opts.presignedAt !== undefined ? `, valid ${opts.presignSeconds}s from ${opts.presignedAt}` : ''}`;
  const missing = entries.reduce(
    (n, [, u]) => n + u.keys.filter((k) => !safeSrc(opts.images.get(k.key))).length,
    0,
  );
  const meta = [
    `channel ${m.channel}; one screenshot every ${m.captureIntervalSeconds}s; ${m.expectedPerUid} expected per uid over ${m.unpausedSeconds}s unpaused`,
    `source ${m.source}${m.note ? ` (${m.note})` : ''}; manifest ${opts.where ?? '(not stored)'} generated ${m.generatedAt}`,
    `${total} screenshots in ${entries.length} uid rows; ${images}${missing ? `; ${missing} without an image${opts.missingReason ? ` (${opts.missingReason})` : ''}` : ''}`,
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data: http: https:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`Timeline of ${m.workflowId}`)}</title>
<style>${CSS}</style></head>
<body data-workflow-id="${esc(m.workflowId)}" data-images="${total}">
<h1>${esc(`Timeline of ${m.workflowId}`)}</h1>
${opts.provisional ? `<p class="provisional">${esc(opts.provisional)}</p>` : ''}
${meta.map((l) => `<p class="meta">${esc(l)}</p>`).join('\n')}
${legend()}
<div class="scroll"><div class="timeline" style="width:${px(axis.widthPx + 172)}">
<div class="axis" style="width:${px(axis.widthPx)}">${ticks(axis)}</div>
${entries.length ? entries.map(([uid, u]) => row(uid, u, m, axis, opts, lazy)).join('\n') : '<p class="meta">no captured uid yet</p>'}
</div></div>
</body></html>
`;
}
