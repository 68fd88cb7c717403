/**
 * `recordingConfig.subscribeUidGroup` from the subscription lists. Agora sizes the recorder
 * by this estimate of peak subscribed uids; it is required in individual mode and easy to get
 * wrong by hand, so the CLI derives it unless --uid-group is given.
 */

/** Agora's table: the largest uid count each group covers (group = index). */
const GROUP_MAX_UIDS = [2, 7, 12, 17, 32, 49] as const;

/**
 * With `#allstream#` or no video list the number of publishers is unknown. We assume a small
 * room (group 1, 3–7 users): most captured channels are calls or classes of a few people, and
 * an operator expecting a crowd passes --uid-group. Documented in `start --help`.
 */
export const ALL_STREAMS_UID_GROUP = 1;

const ALL = '#allstream#';

/** The group for the distinct uids subscribed across video and audio lists. */
export function deriveUidGroup(videoUids?: readonly string[], audioUids?: readonly string[]): number {
  if (!videoUids || videoUids.length === 0 || videoUids.includes(ALL) || audioUids?.includes(ALL))
    return ALL_STREAMS_UID_GROUP;
  const count = new Set([...videoUids, ...(audioUids ?? [])]).size;
  const group = GROUP_MAX_UIDS.findIndex((max) => count <= max);
  // Past 49 there is no larger group; validation rejects lists that long anyway.
  return group === -1 ? GROUP_MAX_UIDS.length - 1 : group;
}
