/** The one media type NCS sends: `application/json`, optionally with `charset=utf-8`. */

/**
 * True for `application/json` (any case, optional parameters). A charset other than UTF-8 is
 * refused: JSON on the wire is UTF-8 (RFC 8259 §8.1) and the signature covers those bytes.
 */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const [type = '', ...params] = header.split(';');
  if (type.trim().toLowerCase() !== 'application/json') return false;
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    const name = p.slice(0, eq).trim().toLowerCase();
    const value = p
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
    if (name === 'charset' && value !== 'utf-8' && value !== 'utf8') return false;
  }
  return true;
}
