/** The receiver's timeline renderer: {@link timelinePage} with the receiver's Temporal client. */
import type { Client } from '@temporalio/client';
import type { CliSettings } from '../cli/env';
import type { TimelineRenderer } from '../receiver/timeline-route';
import { timelinePage } from './page';

/** Renders pages of captures on `client`, reading buckets through `profilesFile`. */
export function timelineRenderer(
  client: Client,
  settings: CliSettings,
  profilesFile: string,
): TimelineRenderer {
  const ctx = { client: () => Promise.resolve(client), settings };
  return async (workflowId, { embed }) =>
    (await timelinePage(ctx, workflowId, { embed, env: { AGORA_STORAGE_PROFILES: profilesFile } })).html;
}
