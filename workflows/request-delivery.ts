/**
 * Rules a capture request must meet to deliver what it asks for, beyond its shape
 * (request.ts): requests that Agora would accept and bill for, but that cannot give the
 * screenshots asked for, or not as written (a uid twice, `#allstream#` beside uids, a
 * recorder bot's own uid, which sends no video). Checked apart from the schema because they came after it: the client
 * refuses such a request before any call, and the workflow refuses it only for runs started
 * since patch DELIVERY_RULES, so a capture already running replays as it ran. Workflow-safe.
 */
import type { CaptureRequest, RequestIssue } from './request';

const ALL = '#allstream#';

const LISTS = [
  'subscribeVideoUids',
  'subscribeAudioUids',
  'unSubscribeVideoUids',
  'unSubscribeAudioUids',
] as const;

/** Every broken delivery rule of a schema-valid request; empty when it can deliver. */
export function deliveryIssues(r: CaptureRequest): RequestIssue[] {
  const issues: RequestIssue[] = [];
  const rc = r.recordingConfig;
  for (const name of LISTS) {
    const list = rc[name];
    if (!list) continue;
    const field = `recordingConfig.${name}`;
    if (list.includes(ALL) && list.length > 1)
      issues.push({ field, rule: `${ALL} means every uid, so it must be the list's only entry` });
    const twice = list.filter((u, i) => list.indexOf(u) !== i);
    if (twice.length > 0)
      issues.push({ field, rule: `must name each uid once (${[...new Set(twice)].join(', ')} given twice)` });
  }
  // (The recording session's bot uid is refused by the schema already.)
  for (const name of ['subscribeVideoUids', 'subscribeAudioUids'] as const) {
    if (rc[name]?.includes(r.recorderUid))
      issues.push({
        field: `recordingConfig.${name}`,
        rule: `must not name the recorder bot's own uid (${r.recorderUid}): a bot sends no video, so it would capture nothing`,
      });
  }
  return issues;
}
