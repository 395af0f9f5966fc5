import type { ProvisioDb } from '@provisio/db';
import { describe, expect, it } from 'vitest';
import { TargetLinks } from './target-links';

/** A database whose connector records hold `holders` (target id → source id), counting its reads. */
function fakeDb(holders: Record<string, Map<string, string>>) {
  const reads: string[] = [];
  let release: (() => void) | null = null;
  const db = {
    connector: {
      listHoldersByTargetId: async (_jobId: string, objectType: string) => {
        reads.push(objectType);
        if (release === null) await new Promise<void>((resolve) => (release = resolve));
        return new Map(holders[objectType] ?? []);
      },
    },
  } as unknown as ProvisioDb;
  return {
    db,
    reads,
    /** Lets reads answer at once from now on (the first read waits until then). */
    answer: () => {
      const r = release;
      release = () => {};
      r?.();
    },
  };
}

const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('TargetLinks', () => {
  it('reads the links of a type once, at the first lookup, and answers from them', async () => {
    const fake = fakeDb({ Group: new Map([['t-1', 'g-1']]) });
    fake.answer();
    const links = new TargetLinks(fake.db, 'job');
    expect(await links.holderOf('Group', 't-1')).toBe('g-1');
    expect(await links.holderOf('Group', 't-2')).toBeUndefined();
    expect(await links.holderOf('User', 't-1')).toBeUndefined();
    expect(fake.reads).toEqual(['Group', 'User']);
  });

  it('a link written before any read holds until its commit, after which the read finds it', async () => {
    const holders = new Map<string, string>();
    const fake = fakeDb({ Group: holders });
    fake.answer();
    const links = new TargetLinks(fake.db, 'job');
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => (commit = resolve));
    links.note('Group', 'g-1', null, 't-1', committed);
    expect(await links.holderOf('Group', 't-1')).toBe('g-1');
    expect(fake.reads).toEqual([]);
    holders.set('t-1', 'g-1');
    commit();
    await settled();
    expect(await links.holderOf('Group', 't-1')).toBe('g-1');
    expect(fake.reads).toEqual(['Group']);
  });

  it('follows links moved after the read, and one committed while the read was under way', async () => {
    const fake = fakeDb({ Group: new Map([['t-1', 'g-1']]) });
    const links = new TargetLinks(fake.db, 'job');
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => (commit = resolve));
    links.note('Group', 'g-2', null, 't-2', committed);
    // A lookup starts the read; g-2's write commits before the read answers (which misses it).
    const pending = links.holderOf('Group', 't-3');
    commit();
    await settled();
    fake.answer();
    expect(await pending).toBeUndefined();
    expect(await links.holderOf('Group', 't-2')).toBe('g-2');
    // g-1 moves from t-1 to t-4; g-2 lets go of t-2.
    links.note('Group', 'g-1', 't-1', 't-4', Promise.resolve());
    links.note('Group', 'g-2', 't-2', null, Promise.resolve());
    await settled();
    expect(await links.holderOf('Group', 't-1')).toBeUndefined();
    expect(await links.holderOf('Group', 't-4')).toBe('g-1');
    expect(await links.holderOf('Group', 't-2')).toBeUndefined();
    expect(fake.reads).toEqual(['Group']);
  });
});
