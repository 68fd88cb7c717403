/**
 * The screenshots the customer's webhook has not heard of when a capture ends: files the final
 * listing found after each uid's last applied event-45 callback. Agora calls back once a file
 * is uploaded, so the last screenshot's callback often arrives after the capture has stopped
 * (or never, when the callback is lost); without this, `screenshots.uploaded` would miss it.
 * Only files after the last callback can be told apart: the workflow keeps counts and times
 * per uid, not file names, so a lost callback between two announced files stays unannounced
 * (the manifest counts it). Pure.
 */
import type { CaptureRecord, Manifest } from './manifest';

/** One file to announce, in the webhook's `screenshots.uploaded` shape. */
export interface UnannouncedFile {
  uid: string;
  fileName: string;
  /** When it was captured (from its name), ISO 8601. */
  at: string;
}

export interface Unannounced {
  /** Oldest first within each uid, uids in order; at most `max`. */
  files: UnannouncedFile[];
  /** Files beyond `max`, left to manifest.json. */
  more: number;
}

/**
 * Per uid, the listed files captured after its last callback (all of them for a uid with none).
 * Bounded by `max`: the list travels in workflow history.
 */
export function unannouncedFiles(
  manifest: Manifest,
  callbackRecord: CaptureRecord['callbackRecord'],
  max: number,
): Unannounced {
  const files: UnannouncedFile[] = [];
  let more = 0;
  for (const [uid, u] of Object.entries(manifest.uids)) {
    const lastMs = callbackRecord[uid]?.lastMs ?? -Infinity;
    for (const k of u.keys) {
      if (Date.parse(k.capturedAt) <= lastMs) continue;
      if (files.length < max) files.push({ uid, fileName: k.key, at: k.capturedAt });
      else more += 1;
    }
  }
  return { files, more };
}
