/**
 * Records keyed by Agora uid (a decimal string) in a capture's state: streams, screenshots, the
 * pause log. Workflow code.
 *
 * V8 keeps integer-like keys as array elements, and the first one below ~1024 set on a plain
 * `{}` allocates a dense backing store of about 1.5 × the key: uid 1001 costs ~12 KB per record,
 * for every capture a worker holds in its cache, where the entries need a few dozen bytes. An
 * object whose elements are a dictionary stays one as uids are added (V8 goes back to a dense
 * store only when that is about as small), so each record costs what its entries do. JSON.parse,
 * which rebuilds the state after continue-as-new, already makes such objects.
 */

/** The largest array index (2³² − 2): no dense store reaches it, so V8 makes the elements a dictionary. */
const FAR_INDEX = '4294967294';

/** An empty record for uid keys whose elements are a dictionary from the start. */
export function uidRecord<T>(): Record<string, T> {
  const record: Record<string, T> = {};
  Reflect.set(record, FAR_INDEX, 0);
  Reflect.deleteProperty(record, FAR_INDEX);
  return record;
}
