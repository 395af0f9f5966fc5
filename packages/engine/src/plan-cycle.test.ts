import { describe, expect, it } from 'vitest';
import { emptyTally } from './cycle-summary';
import {
  cyclePhases,
  firstUnsettled,
  planCycleStart,
  remainingPhases,
  selectIncrementalUsers,
  selectInitialObjects,
  Settling,
  type CycleCheckpoint,
  type CycleStartInput,
} from './plan-cycle';

const now = new Date('2026-03-01T10:00:00.000Z');
const checkpoint = (over: Partial<CycleCheckpoint> = {}): CycleCheckpoint => ({
  cycleId: 'old',
  kind: 'Initial',
  timeBegan: '2026-03-01T09:00:00.000Z',
  after: 10,
  upTo: 20,
  configHash: 'h1',
  phase: 'User',
  settledThrough: 'u3',
  completed: 3,
  total: 9,
  counts: { imported: 3, created: 2 },
  ...over,
});
const input = (over: Partial<CycleStartInput> = {}): CycleStartInput => ({
  checkpoint: null,
  watermark: 10,
  configHash: 'h1',
  currentConfigHash: 'h1',
  latestChangeSeq: 30,
  phases: ['User'],
  newCycleId: 'new',
  now,
  ...over,
});

describe('the phases of a cycle', () => {
  it.each([
    [{ objectTypes: ['User'] }, ['User']],
    [{ objectTypes: ['Group', 'User'] }, ['User', 'Group', 'Membership']],
    [{ objectTypes: ['Group', 'User'], memberships: false }, ['User', 'Group']],
    [{ objectTypes: ['User'], userReferences: true }, ['User', 'Reference']],
    [{ objectTypes: ['User', 'Group'], userReferences: true }, ['User', 'Group', 'Membership', 'Reference']],
  ] as const)('%j run as %j', (needs, phases) => {
    expect(cyclePhases(needs)).toEqual(phases);
  });

  it('a resumed cycle carries on from its checkpoint’s phase; a checkpoint without one was in the users’ phase', () => {
    const all = cyclePhases({ objectTypes: ['User', 'Group'] });
    expect(remainingPhases(all, checkpoint({ phase: 'Group' }))).toEqual(['Group', 'Membership']);
    expect(remainingPhases(all, checkpoint({ phase: undefined }))).toEqual(all);
  });
});

describe('how a cycle starts', () => {
  it('a job without a watermark starts an initial cycle covering the changes up to now', () => {
    const start = planCycleStart(input({ watermark: null, configHash: null }));
    expect(start).toMatchObject({ kind: 'Initial', resumed: false, cycleId: 'new', upTo: 30, after: null });
    expect(start.checkpoint).toMatchObject({
      phase: 'User',
      settledThrough: null,
      configHash: 'h1',
      upTo: 30,
    });
    expect(start.timeBegan).toBe(now.toISOString());
  });

  it('a changed configuration starts an initial cycle from the watermark it has', () => {
    expect(planCycleStart(input({ configHash: 'h0' }))).toMatchObject({ kind: 'Initial', after: 10 });
  });

  it('an unchanged job starts an incremental cycle', () => {
    expect(planCycleStart(input())).toMatchObject({ kind: 'Incremental', after: 10, upTo: 30 });
  });

  it('an interrupted cycle resumes with its id, kind, window, counts and phase', () => {
    const start = planCycleStart(input({ checkpoint: checkpoint({ phase: 'Group' }) }));
    expect(start).toMatchObject({ resumed: true, cycleId: 'old', kind: 'Initial', after: 10, upTo: 20 });
    expect(start.tally).toEqual({ ...emptyTally(), imported: 3, created: 2 });
    expect(start.checkpoint).toMatchObject({ phase: 'Group', settledThrough: 'u3' });
    expect(start.abandoned).toBeNull();
  });

  it.each([
    ['its configuration changed', { currentConfigHash: 'h2' }],
    ['the watermark moved (a restart)', { watermark: null }],
    ['the configuration cannot be read', { currentConfigHash: null }],
  ])('an interrupted cycle is abandoned when %s', (_why, over) => {
    const start = planCycleStart(input({ checkpoint: checkpoint(), ...over }));
    expect(start.resumed).toBe(false);
    expect(start.abandoned?.cycleId).toBe('old');
    expect(start.cycleId).toBe('new');
  });

  it('a job whose configuration cannot be read gets a cycle without a checkpoint', () => {
    expect(planCycleStart(input({ currentConfigHash: null })).checkpoint).toBeNull();
  });
});

describe('which objects a cycle visits', () => {
  it('initial: the entitled, and whoever the job provisioned or escrowed, each once, in id order', () => {
    const ids = selectInitialObjects(
      { all: () => ['x'], entitled: () => ['c', 'a'], provisioned: ['b', 'a'], escrowed: ['d'] },
      false,
    );
    expect(ids).toEqual(['a', 'b', 'c', 'd']);
  });

  it('initial with Sync all: every object', () => {
    const ids = selectInitialObjects(
      { all: () => ['z', 'y'], entitled: () => ['a'], provisioned: [], escrowed: [] },
      true,
    );
    expect(ids).toEqual(['y', 'z']);
  });

  it('incremental: changed users, members of reassigned groups and due escrows, not changed groups', () => {
    const ids = selectIncrementalUsers({
      changes: [
        { objectType: 'user', objectId: 'u2' },
        { objectType: 'group', objectId: 'g1' },
      ],
      reassignedGroups: ['g2'],
      membersOf: (g) => (g === 'g2' ? ['u3', 'u1'] : []),
      dueEscrows: ['u2', 'u9'],
    });
    expect(ids).toEqual(['u1', 'u2', 'u3', 'u9']);
  });
});

describe('settling objects that finish out of order', () => {
  it('finds where a resumed phase carries on', () => {
    expect(firstUnsettled(['a', 'b', 'c'], null)).toBe(0);
    expect(firstUnsettled(['a', 'b', 'c'], 'b')).toBe(2);
    expect(firstUnsettled(['a', 'c'], 'b')).toBe(1);
    expect(firstUnsettled(['a', 'b'], 'z')).toBe(2);
  });

  it('passes an object only once every earlier one is settled, and adds the counts then', () => {
    const tally = emptyTally();
    const settling = new Settling(['a', 'b', 'c'], 0, tally);
    const one = { ...emptyTally(), imported: 1 };
    settling.settle(1, one);
    expect(settling.settledThrough).toBeNull();
    expect(tally.imported).toBe(0);
    settling.settle(0, one);
    expect(settling.settledThrough).toBe('b');
    expect(settling.settledCount).toBe(2);
    expect(tally.imported).toBe(2);
  });
});
