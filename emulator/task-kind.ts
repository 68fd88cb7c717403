/**
 * What one task does, read from its (validated) start body: take screenshots (`snapshotConfig`),
 * record files (`recordingFileConfig`), or both. Both in one task is allowed since Agora's
 * 2021-09-06 release, and such a task is billed as recording only: the screenshots are free when
 * bundled with Cloud Recording in the same task (release notes:
 * https://github.com/AgoraIO/Docs-Source/blob/HEAD/shared/cloud-recording/release-notes/rest.mdx;
 * pricing: https://github.com/AgoraIO/Docs-Source/blob/HEAD/cloud-recording/overview/pricing.md).
 */

/** The Agora service a task's minutes are billed under. */
export type BilledService = 'recording' | 'screenshot';

/** The parts of a task, from its start body. */
export interface TaskKind {
  records: boolean;
  screenshots: boolean;
}

/** Reads the task's parts from a start body (a missing clientRequest means neither). */
export function taskKind(startBody: unknown): TaskKind {
  const cr = (startBody as { clientRequest?: Record<string, unknown> } | undefined)?.clientRequest;
  return {
    records: cr?.recordingFileConfig !== undefined,
    screenshots: cr?.snapshotConfig !== undefined,
  };
}

/** A task that records is billed as recording, screenshots included; otherwise as screenshots. */
export function billedService(kind: TaskKind): BilledService {
  return kind.records ? 'recording' : 'screenshot';
}
