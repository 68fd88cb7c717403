/**
 * A tiny baseline JPEG encoder for solid-colour pictures, so the emulator's "bucket" holds real,
 * decodable JPG files without an image library. Every 8×8 block has the same colour, so each
 * block is one DC coefficient and an end-of-block code: the entropy data stays a few hundred
 * bytes. A colour per uid makes the files of different publishers visibly different, and a COM
 * segment carries a caller-chosen text (the object key) so every file's bytes are unique.
 */

/** Picture size in pixels (multiples of 8, so there are no partial blocks). */
const WIDTH = 160;
const HEIGHT = 120;
/** One quantiser for every coefficient; only DC is ever non-zero. */
const Q = 16;

/** Standard luminance DC table (ITU T.81 K.3): code lengths 1..16 and the categories 0..11. */
const DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
/** AC table with one symbol, EOB (0x00), coded as the single bit 0: blocks have no AC terms. */
const AC_BITS = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const AC_VALS = [0];

/** Canonical Huffman codes for a table, as [code, length] per symbol (T.81 Annex C). */
function huffmanCodes(bits: number[], vals: number[]): Map<number, [number, number]> {
  const codes = new Map<number, [number, number]>();
  let code = 0;
  let k = 0;
  bits.forEach((count, i) => {
    for (let n = 0; n < count; n++) codes.set(vals[k++] ?? 0, [code++, i + 1]);
    code <<= 1;
  });
  return codes;
}
const DC_CODES = huffmanCodes(DC_BITS, DC_VALS);
const AC_EOB = huffmanCodes(AC_BITS, AC_VALS).get(0) ?? [0, 1];

/** MSB-first bit writer with JPEG byte stuffing (0xFF is followed by 0x00 in entropy data). */
class BitWriter {
  private bytes: number[] = [];
  private acc = 0;
  private n = 0;

  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      if (++this.n === 8) this.flushByte();
    }
  }

  /** Pads the last byte with 1-bits, as T.81 requires. */
  finish(): number[] {
    while (this.n !== 0) this.write(1, 1);
    return this.bytes;
  }

  private flushByte(): void {
    this.bytes.push(this.acc);
    if (this.acc === 0xff) this.bytes.push(0);
    this.acc = 0;
    this.n = 0;
  }
}

/** Writes one DC difference: its category's Huffman code, then the magnitude bits. */
function writeDc(w: BitWriter, diff: number): void {
  const cat = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
  const [code, len] = DC_CODES.get(cat) ?? [0, 2];
  w.write(code, len);
  if (cat > 0) w.write(diff >= 0 ? diff : diff + (1 << cat) - 1, cat);
}

const segment = (marker: number, body: number[]): number[] => [
  0xff,
  marker,
  (body.length + 2) >> 8,
  (body.length + 2) & 0xff,
  ...body,
];

/** RGB → quantised DC of a constant block, per component (Y, Cb, Cr; JFIF conversion). */
function dcOf(rgb: readonly [number, number, number]): number[] {
  const [r, g, b] = rgb;
  const ycc = [
    0.299 * r + 0.587 * g + 0.114 * b,
    128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
    128 + 0.5 * r - 0.418688 * g - 0.081312 * b,
  ];
  // A constant block's DCT DC term is 8 × (sample − 128).
  return ycc.map((v) => Math.round((8 * (Math.min(255, Math.max(0, v)) - 128)) / Q));
}

/** A baseline JFIF of `WIDTH`×`HEIGHT` in one colour, with `comment` in a COM segment. */
export function solidJpeg(rgb: readonly [number, number, number], comment: string): Buffer {
  const dc = dcOf(rgb);
  const w = new BitWriter();
  const blocks = (WIDTH / 8) * (HEIGHT / 8);
  for (let i = 0; i < blocks; i++) {
    for (const c of dc) {
      // DC is coded as the difference from the previous block of the same component.
      writeDc(w, i === 0 ? c : 0);
      w.write(AC_EOB[0], AC_EOB[1]);
    }
  }
  const text = [...Buffer.from(comment.slice(0, 60_000), 'utf8')];
  const components = [1, 2, 3].flatMap((id) => [id, 0x11, 0]);
  return Buffer.from([
    0xff,
    0xd8,
    ...segment(0xe0, [...Buffer.from('JFIF\0', 'latin1'), 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...segment(0xfe, text),
    ...segment(0xdb, [0, ...new Array<number>(64).fill(Q)]),
    ...segment(0xc0, [8, HEIGHT >> 8, HEIGHT & 0xff, WIDTH >> 8, WIDTH & 0xff, 3, ...components]),
    ...segment(0xc4, [0x00, ...DC_BITS, ...DC_VALS]),
    ...segment(0xc4, [0x10, ...AC_BITS, ...AC_VALS]),
    ...segment(0xda, [3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]),
    ...w.finish(),
    0xff,
    0xd9,
  ]);
}

/** A stable, saturated colour for a uid (hue from a string hash), so publishers look different. */
export function colourFor(uid: string): [number, number, number] {
  let h = 2166136261;
  for (const ch of uid) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const hue = (h % 360) / 60;
  const x = Math.round(200 * (1 - Math.abs((hue % 2) - 1)));
  const table: Array<[number, number, number]> = [
    [200, x, 40],
    [x, 200, 40],
    [40, 200, x],
    [40, x, 200],
    [x, 40, 200],
    [200, 40, x],
  ];
  return table[Math.floor(hue)] ?? [200, 40, 40];
}
