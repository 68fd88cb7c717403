/**
 * Subscription lists, shared by start (`recordingConfig`) and update (`streamSubscribe`).
 * Agora's sources spell the blacklist keys two ways (`unSubscribe…` in the Go/Java/Node clients,
 * `unsubscribe…` in the API reference and the Python client); both are accepted, but not both
 * at once, because then the intended list would be ambiguous.
 */
import { invalidParam } from '../errors';
import { uidListSchema } from './common';

/** The media a list applies to, as it appears inside key names. */
export type Media = 'Video' | 'Audio';

/** Schema fields for both media and both blacklist spellings, to spread into an object schema. */
export const subscriptionFields = {
  subscribeVideoUids: uidListSchema.optional(),
  subscribeAudioUids: uidListSchema.optional(),
  unSubscribeVideoUids: uidListSchema.optional(),
  unSubscribeAudioUids: uidListSchema.optional(),
  unsubscribeVideoUids: uidListSchema.optional(),
  unsubscribeAudioUids: uidListSchema.optional(),
};

type ListsObject = Partial<Record<keyof typeof subscriptionFields, string[]>>;

/** The normalised white/black lists of one media type. */
export interface UidLists {
  subscribe?: string[];
  unsubscribe?: string[];
}

/**
 * Reads one media's lists from `obj`, enforcing one spelling and white/black exclusivity.
 * `where` prefixes reasons (e.g. `clientRequest.recordingConfig`).
 */
export function readLists(obj: ListsObject, media: Media, where: string): UidLists {
  const sub = obj[`subscribe${media}Uids`];
  const capital = obj[`unSubscribe${media}Uids`];
  const lower = obj[`unsubscribe${media}Uids`];
  if (capital !== undefined && lower !== undefined) {
    throw invalidParam(
      `${where}: unSubscribe${media}Uids and unsubscribe${media}Uids are the same list; send one`,
    );
  }
  const unsub = capital ?? lower;
  if (sub !== undefined && unsub !== undefined) {
    const key = capital !== undefined ? `unSubscribe${media}Uids` : `unsubscribe${media}Uids`;
    throw invalidParam(`${where}.subscribe${media}Uids: cannot be combined with ${key}`);
  }
  return { subscribe: sub, unsubscribe: unsub };
}

/** True when either list is present. */
export function hasList(lists: UidLists): boolean {
  return lists.subscribe !== undefined || lists.unsubscribe !== undefined;
}

/**
 * Enforces the streamTypes rule: no video lists with audio-only (0), no audio lists with
 * video-only (1).
 */
export function checkListsAgainstStreamTypes(
  streamTypes: number,
  video: UidLists,
  audio: UidLists,
  where: string,
): void {
  if (streamTypes === 0 && hasList(video)) {
    throw invalidParam(`${where}: video uid lists are not allowed with streamTypes=0 (audio only)`);
  }
  if (streamTypes === 1 && hasList(audio)) {
    throw invalidParam(`${where}: audio uid lists are not allowed with streamTypes=1 (video only)`);
  }
}
