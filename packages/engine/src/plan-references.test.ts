import { describe, expect, it } from 'vitest';
import { planReferenceChange, selectReferenceUsers } from './plan-references';

describe('planReferenceChange', () => {
  it.each([
    [
      'a manager provisioned, nothing held: set',
      { referencedSourceId: 'm', referencedTargetId: 't', heldTargetId: null },
      { kind: 'set', targetId: 't' },
    ],
    [
      'the same manager held: nothing',
      { referencedSourceId: 'm', referencedTargetId: 't', heldTargetId: 't' },
      { kind: 'none' },
    ],
    [
      'another manager: set',
      { referencedSourceId: 'n', referencedTargetId: 'u', heldTargetId: 't' },
      { kind: 'set', targetId: 'u' },
    ],
    [
      'a manager not provisioned yet: wait',
      { referencedSourceId: 'm', referencedTargetId: null, heldTargetId: null },
      { kind: 'wait' },
    ],
    [
      'the manager gone from the target: clear',
      { referencedSourceId: 'm', referencedTargetId: null, heldTargetId: 't' },
      { kind: 'clear' },
    ],
    [
      'the manager removed: clear',
      { referencedSourceId: null, referencedTargetId: null, heldTargetId: 't' },
      { kind: 'clear' },
    ],
    [
      'no manager, none held: nothing',
      { referencedSourceId: null, referencedTargetId: null, heldTargetId: null },
      { kind: 'none' },
    ],
  ] as const)('%s', (_name, input, expected) => {
    expect(planReferenceChange(input)).toEqual(expected);
  });
});

describe('selectReferenceUsers', () => {
  const sources = {
    provisionedUsers: () => ['c', 'a'],
    visitedUsers: () => ['m'],
    reportsOf: (ids: readonly string[]) => (ids.includes('m') ? ['r1', 'r2'] : []),
    dueEscrows: ['e'],
  };
  it('initial: every provisioned user', () => {
    expect(selectReferenceUsers('Initial', sources)).toEqual(['a', 'c', 'e']);
  });
  it('incremental: the visited users and their direct reports', () => {
    expect(selectReferenceUsers('Incremental', sources)).toEqual(['e', 'm', 'r1', 'r2']);
  });
});
