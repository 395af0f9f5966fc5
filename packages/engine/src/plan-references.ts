import type { CompiledObjectMapping, EvaluationOptions } from './attribute-mappings';
import type { CycleKind } from './cycle-summary';
import type { SourceView } from './source-view';

/** What becomes of one reference attribute (a user's manager) in the target. */
export type ReferencePlan =
  | { kind: 'none' }
  /** The referenced object is not in the target yet: the reference waits; the object does not fail. */
  | { kind: 'wait' }
  | { kind: 'set'; targetId: string }
  | { kind: 'clear' };

/**
 * Resolves a reference to the referenced object's id in the target and decides whether the
 * target needs to change: set when it points elsewhere, clear when the source has none or its
 * object is gone from the target, wait while the referenced object is not provisioned yet (a
 * source id is never sent in its place).
 *
 * @example planReferenceChange({ referencedSourceId: 'm1', referencedTargetId: 't9', heldTargetId: null }) // { kind: 'set', targetId: 't9' }
 */
export function planReferenceChange(input: {
  /** The source object the reference points at (the manager's directory id); null when there is none. */
  referencedSourceId: string | null;
  /** The referenced object's id in the target when the job provisioned it; null when not (yet). */
  referencedTargetId: string | null;
  /** What the target holds, by the job's last export; null when nothing. */
  heldTargetId: string | null;
}): ReferencePlan {
  if (input.referencedSourceId === null)
    return input.heldTargetId === null ? { kind: 'none' } : { kind: 'clear' };
  // Not in the target (yet, or any more): a reference to an account that is gone is removed; a new
  // one waits for its object.
  if (input.referencedTargetId === null)
    return input.heldTargetId === null ? { kind: 'wait' } : { kind: 'clear' };
  if (input.referencedTargetId === input.heldTargetId) return { kind: 'none' };
  return { kind: 'set', targetId: input.referencedTargetId };
}

/**
 * The users whose references a cycle's references phase resolves, in id order. Initial: every
 * user the job provisions. Incremental: the users the cycle visited (what the users phase selected
 * and every object it wrote an event for), the users who report to them (a manager created or
 * deleted in this cycle changes their reference), and those whose retry is due.
 */
export function selectReferenceUsers(
  kind: CycleKind,
  sources: {
    provisionedUsers: () => Iterable<string>;
    visitedUsers: () => readonly string[];
    reportsOf: (managerIds: readonly string[]) => Iterable<string>;
    dueEscrows: Iterable<string>;
  },
): string[] {
  const ids = new Set<string>(sources.dueEscrows);
  if (kind === 'Initial') {
    for (const id of sources.provisionedUsers()) ids.add(id);
  } else {
    const visited = sources.visitedUsers();
    for (const id of visited) ids.add(id);
    for (const id of sources.reportsOf(visited)) ids.add(id);
  }
  return [...ids].sort();
}

/**
 * The source object each reference mapping of an object points at (a manager's directory id), or
 * null when the mapping gives no value: what the references phase, and Explain, resolve.
 */
export function referencedSourceIds(
  mapping: Pick<CompiledObjectMapping, 'references'>,
  view: SourceView,
  options: EvaluationOptions,
): { attribute: string; referencedSourceId: string | null }[] {
  return mapping.references.map((m) => {
    const outcome = m.evaluate(view, options);
    const value =
      outcome.kind === 'value' && typeof outcome.value === 'string' && outcome.value !== ''
        ? outcome.value
        : null;
    return { attribute: m.targetAttributeName, referencedSourceId: value };
  });
}

/**
 * The id in the target a reference to this object would take, from its connector record: a
 * disabled account still exists in the target, so it can still be someone's manager.
 */
export function referenceableTargetId(
  record: { state: string; targetId: string | null } | undefined,
): string | null {
  return record?.state === 'linked' || record?.state === 'disabled' ? record.targetId : null;
}
