import { describe, expect, it } from 'vitest';
import { planMembershipChanges } from './plan-memberships';

const map = (...pairs: [string, string][]) => new Map(pairs);

describe('planMembershipChanges', () => {
  it('sends only the difference', () => {
    const plan = planMembershipChanges({
      desired: map(['u1', 't1'], ['u2', 't2'], ['u4', 't4']),
      held: map(['u1', 't1'], ['u2', 't2'], ['u3', 't3']),
      batchSize: 100,
    });
    expect(plan).toEqual({
      add: [[{ sourceId: 'u4', targetId: 't4' }]],
      remove: [[{ sourceId: 'u3', targetId: 't3' }]],
    });
  });

  it('nothing changed: no request', () => {
    expect(
      planMembershipChanges({ desired: map(['u1', 't1']), held: map(['u1', 't1']), batchSize: 10 }),
    ).toEqual({ add: [], remove: [] });
  });

  it('cuts additions and removals into batches of the configured size, in source id order', () => {
    const desired = map(...Array.from({ length: 5 }, (_, i): [string, string] => [`u${i}`, `t${i}`]));
    const plan = planMembershipChanges({ desired, held: new Map(), batchSize: 2 });
    expect(plan.add.map((b) => b.map((m) => m.sourceId))).toEqual([['u0', 'u1'], ['u2', 'u3'], ['u4']]);
  });

  it('a member linked to another target account is removed under the old id and added under the new', () => {
    const plan = planMembershipChanges({
      desired: map(['u1', 'new']),
      held: map(['u1', 'old']),
      batchSize: 10,
    });
    expect(plan).toEqual({
      add: [[{ sourceId: 'u1', targetId: 'new' }]],
      remove: [[{ sourceId: 'u1', targetId: 'old' }]],
    });
  });
});
