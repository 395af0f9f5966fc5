/** A member as a group PATCH names it: the directory user and the target account it is linked to. */
export interface MemberRef {
  sourceId: string;
  targetId: string;
}

/** The membership PATCHes one group needs: additions and removals, each cut into batches. */
export interface MembershipPlan {
  add: MemberRef[][];
  remove: MemberRef[][];
}

/**
 * What must change in a target group so that it holds exactly the desired members: only the
 * difference, so that a membership change costs requests in proportion to what changed, many
 * members per request. A member whose target account changed (it was matched again) is removed
 * under its old id and added under its new one.
 *
 * @example
 * planMembershipChanges({ desired: new Map([['u1', 't1']]), held: new Map([['u2', 't2']]), batchSize: 100 })
 * // { add: [[{ sourceId: 'u1', targetId: 't1' }]], remove: [[{ sourceId: 'u2', targetId: 't2' }]] }
 */
export function planMembershipChanges(input: {
  /** Members the target group should hold: source id → target id (direct members provisioned in scope). */
  desired: ReadonlyMap<string, string>;
  /** Members the target group holds, as last exported: source id → target id. */
  held: ReadonlyMap<string, string>;
  batchSize: number;
}): MembershipPlan {
  const add: MemberRef[] = [];
  const remove: MemberRef[] = [];
  for (const [sourceId, targetId] of input.desired) {
    const heldAs = input.held.get(sourceId);
    if (heldAs === targetId) continue;
    if (heldAs !== undefined) remove.push({ sourceId, targetId: heldAs });
    add.push({ sourceId, targetId });
  }
  for (const [sourceId, targetId] of input.held)
    if (!input.desired.has(sourceId)) remove.push({ sourceId, targetId });
  const bySource = (a: MemberRef, b: MemberRef) =>
    a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0;
  return {
    add: batches(add.sort(bySource), input.batchSize),
    remove: batches(remove.sort(bySource), input.batchSize),
  };
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += Math.max(1, size)) out.push(items.slice(i, i + Math.max(1, size)));
  return out;
}
