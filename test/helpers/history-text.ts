/** Every string and payload byte of a history as text, so a scan sees what the UI would show. */
export function historyText(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (v === null || v === undefined) return;
    if (typeof v === 'string') out.push(v);
    else if (v instanceof Uint8Array) out.push(Buffer.from(v).toString('utf8'));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object') Object.values(v as Record<string, unknown>).forEach(walk);
    else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') out.push(v.toString());
  };
  walk(value);
  return out.join('\n');
}
