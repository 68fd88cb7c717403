/**
 * Compares two validated capture requests field by field: how a second start of a running
 * capture tells "the same capture" from "different settings". Pure.
 */

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Dotted paths of the fields whose values differ (a list compares whole). Both requests
 * must be validated (defaults filled in), so a default left out equals the default written.
 */
export function requestDifferences(a: unknown, b: unknown, path = ''): string[] {
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => requestDifferences(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path || '(request)'];
}
