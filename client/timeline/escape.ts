/** Escaping for text and attribute values placed in the timeline's HTML. */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * `s` as HTML text or as a double- or single-quoted attribute value. Every string the page
 * shows comes from the bucket or the capture request (keys, channel names, workflow ids), so
 * none of it is trusted.
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
