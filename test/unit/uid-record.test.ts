import { setFlagsFromString } from 'node:v8';
import { runInThisContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { noteVideoState } from '../../workflows/manifest-record';
import { initialState } from '../../workflows/state';
import { uidRecord } from '../../workflows/uid-record';

// V8's own answer, through its natives syntax (enabled for functions compiled after this).
setFlagsFromString('--allow-natives-syntax');
const dictionaryElements = runInThisContext('(o) => %HasDictionaryElements(o)') as (o: object) => boolean;

describe('uid records in a capture state', () => {
  it('a plain object given uid 1001 keeps a dense element store (the cost uid records avoid)', () => {
    const plain: Record<string, number> = {};
    plain['1001'] = 1;
    expect(dictionaryElements(plain)).toBe(false);
  });

  it('stay dictionaries as small uids are added, and read and list like plain objects', () => {
    const r = uidRecord<number>();
    for (const uid of ['1001', '7', '1023', '42']) r[uid] = Number(uid);
    expect(dictionaryElements(r)).toBe(true);
    expect(r['1001']).toBe(1001);
    expect(Object.keys(r)).toEqual(['7', '42', '1001', '1023']);
    expect(JSON.parse(JSON.stringify(r))).toEqual({ 7: 7, 42: 42, 1001: 1001, 1023: 1023 });
  });

  it("a capture's streams, screenshots and pause log are uid records", () => {
    const s = initialState('capture/room/527841');
    noteVideoState(s, '1001', false, true, 1_000);
    expect(dictionaryElements(s.streams)).toBe(true);
    expect(dictionaryElements(s.screenshots)).toBe(true);
    expect(dictionaryElements(s.pauseLog!.uids)).toBe(true);
    expect(s.pauseLog!.uids['1001']).toHaveLength(1);
  });
});
