import { emptyTally, type CycleKind, type CycleTally } from './cycle-summary';

/** The source object types a job provisions, by the name its object mappings give them. */
export type ObjectType = 'User' | 'Group';

/**
 * The phases of a cycle, in the order they run: users, then groups, then the group memberships
 * and the users' references (manager), which need the objects they point at to exist in the target.
 */
export type CyclePhase = 'User' | 'Group' | 'Membership' | 'Reference';

const PHASE_ORDER: readonly CyclePhase[] = ['User', 'Group', 'Membership', 'Reference'];

/** What a job provisions, as far as the phases of its cycles go. */
export interface PhaseNeeds {
  objectTypes: readonly ObjectType[];
  /** The group mapping maps `members`: memberships are provisioned. Default: when there are groups. */
  memberships?: boolean;
  /** The user mapping has reference attributes (manager) to resolve. */
  userReferences?: boolean;
}

/**
 * The phases a cycle runs, in order. Memberships and references are resolved once the objects
 * they point at have been exported, so their phases come last.
 *
 * @example cyclePhases({ objectTypes: ['Group', 'User'] }) // ['User', 'Group', 'Membership']
 */
export function cyclePhases(needs: PhaseNeeds): CyclePhase[] {
  const phases = new Set<CyclePhase>(needs.objectTypes);
  if (phases.has('Group') && (needs.memberships ?? true)) phases.add('Membership');
  if (phases.has('User') && needs.userReferences) phases.add('Reference');
  return PHASE_ORDER.filter((p) => phases.has(p));
}

/**
 * Where a running cycle stands, saved as it goes: a cycle interrupted by a crash, a lost lease or
 * a stop is resumed from here by the next worker that takes the job, instead of starting over.
 */
export interface CycleCheckpoint {
  cycleId: string;
  kind: CycleKind;
  timeBegan: string;
  /** The job's watermark when the cycle started (null before the first completed cycle). */
  after: number | null;
  /** The directory change number the cycle covers up to; the next watermark. */
  upTo: number;
  /** The configuration fingerprint the cycle runs with; another one abandons the cycle. */
  configHash: string;
  /**
   * The phase the cycle is in; the phases before it are done. Absent in checkpoints saved before
   * cycles had phases: those were in the users' phase.
   */
  phase?: CyclePhase;
  /** Within the phase, objects are visited in source id order; every id up to this one is settled (null: none yet). */
  settledThrough: string | null;
  /** Objects settled so far and objects the cycle visits (over its phases so far). */
  completed: number;
  total: number;
  /** The cycle's counts over the settled objects. */
  counts: Record<string, number>;
  /**
   * How many more (or fewer) users the connector data store holds than before the cycle, so an
   * incremental cycle updates `synchronizedEntryCountByType` without counting every entry.
   * Checkpoints saved before groups were provisioned have only this.
   */
  entriesDelta?: number;
  /** The same, per object type ('User', 'Group'). */
  entriesDeltaByType?: Record<string, number>;
  /** The cycle holds its removals: decided when it started (the accidental deletion threshold). */
  holdRemovals?: boolean;
}

/** The checkpoint's change of entries per object type. */
export function checkpointEntriesDelta(checkpoint: CycleCheckpoint | null): Record<string, number> {
  if (!checkpoint) return {};
  return checkpoint.entriesDeltaByType ?? (checkpoint.entriesDelta ? { User: checkpoint.entriesDelta } : {});
}

/** The phase a checkpoint is in (checkpoints from before phases were in the users' phase). */
export const checkpointPhase = (checkpoint: CycleCheckpoint): CyclePhase => checkpoint.phase ?? 'User';

/** What deciding how a cycle starts needs to know. */
export interface CycleStartInput {
  /** The checkpoint of a cycle that an earlier run left off, if any. */
  checkpoint: CycleCheckpoint | null;
  /** The job's watermark and the configuration fingerprint it was reached with. */
  watermark: number | null;
  configHash: string | null;
  /** The fingerprint of the job's configuration now; null when it cannot run (a configuration error). */
  currentConfigHash: string | null;
  /** The newest directory change number: a new cycle covers the changes up to it. */
  latestChangeSeq: number;
  /** The phases a cycle of this job runs. */
  phases: readonly CyclePhase[];
  /** The id and start time a new cycle gets. */
  newCycleId: string;
  now: Date;
}

/** How a cycle starts: resumed from its checkpoint, or new (initial or incremental). */
export interface CycleStart {
  /** An interrupted cycle that cannot resume (its configuration or watermark changed): record it as failed. */
  abandoned: CycleCheckpoint | null;
  resumed: boolean;
  cycleId: string;
  kind: CycleKind;
  timeBegan: string;
  /** The watermark the cycle starts from (an initial cycle after a configuration change has one too). */
  after: number | null;
  /** Changes after this number belong to the next cycle, even if they land while this one runs. */
  upTo: number;
  /** The counts so far (a resumed cycle's settled objects). */
  tally: CycleTally;
  /** The checkpoint to keep while the cycle runs; null when the configuration stops the job. */
  checkpoint: CycleCheckpoint | null;
}

/**
 * Decides how a cycle starts: it resumes the interrupted cycle unless the configuration or the
 * watermark changed meanwhile (then that cycle is abandoned); otherwise a new cycle starts, initial
 * when the job has no watermark or its configuration changed since the watermark was reached,
 * incremental otherwise.
 */
export function planCycleStart(input: CycleStartInput): CycleStart {
  const interrupted = input.checkpoint;
  const resumable =
    interrupted !== null &&
    input.currentConfigHash !== null &&
    interrupted.configHash === input.currentConfigHash &&
    interrupted.after === input.watermark;
  if (resumable) {
    return {
      abandoned: null,
      resumed: true,
      cycleId: interrupted.cycleId,
      kind: interrupted.kind,
      timeBegan: interrupted.timeBegan,
      after: interrupted.after,
      upTo: interrupted.upTo,
      tally: tallyFrom(interrupted.counts),
      checkpoint: { ...interrupted, phase: checkpointPhase(interrupted) },
    };
  }
  const kind: CycleKind =
    input.watermark === null ||
    (input.currentConfigHash !== null && input.configHash !== input.currentConfigHash)
      ? 'Initial'
      : 'Incremental';
  const timeBegan = input.now.toISOString();
  const tally = emptyTally();
  const checkpoint: CycleCheckpoint | null =
    input.currentConfigHash === null
      ? null
      : {
          cycleId: input.newCycleId,
          kind,
          timeBegan,
          after: input.watermark,
          upTo: input.latestChangeSeq,
          configHash: input.currentConfigHash,
          phase: input.phases[0] ?? 'User',
          settledThrough: null,
          completed: 0,
          total: 0,
          counts: { ...tally },
        };
  return {
    abandoned: interrupted,
    resumed: false,
    cycleId: input.newCycleId,
    kind,
    timeBegan,
    after: input.watermark,
    upTo: input.latestChangeSeq,
    tally,
    checkpoint,
  };
}

/** The phases still to run, from the checkpoint's own phase on. */
export function remainingPhases(phases: readonly CyclePhase[], checkpoint: CycleCheckpoint): CyclePhase[] {
  const at = phases.indexOf(checkpointPhase(checkpoint));
  return at < 0 ? [...phases] : phases.slice(at);
}

/** A cycle's counts as saved in its checkpoint. */
export function tallyFrom(counts: Record<string, number>): CycleTally {
  const tally = emptyTally();
  for (const key of Object.keys(tally) as (keyof CycleTally)[]) tally[key] = counts[key] ?? 0;
  return tally;
}

/** Adds one tally to another. */
export function addTally(into: CycleTally, from: CycleTally): void {
  for (const key of Object.keys(into) as (keyof CycleTally)[]) into[key] += from[key];
}

/** What an initial cycle's phase may visit, read from the directory and the job's own records. */
export interface InitialObjectSources {
  /** Every object of the type (read only with Sync all). */
  all: () => Iterable<string>;
  /** Objects assigned to the application, directly or through a group. */
  entitled: () => Iterable<string>;
  /** Objects the job provisioned and has not deleted: out of scope now, they are disabled or deleted. */
  provisioned: Iterable<string>;
  /** Objects with a failed operation kept for retry. */
  escrowed: Iterable<string>;
}

/**
 * The objects an initial cycle visits, in the order it visits them (source id order, which the
 * checkpoint relies on): everyone entitled (or everyone, with Sync all), and everyone the job
 * provisioned or escrowed, so that those no longer entitled are deprovisioned.
 */
export function selectInitialObjects(sources: InitialObjectSources, syncAll: boolean): string[] {
  const ids = new Set<string>(syncAll ? sources.all() : sources.entitled());
  for (const id of sources.provisioned) ids.add(id);
  for (const id of sources.escrowed) ids.add(id);
  return [...ids].sort();
}

/** A directory change, as the incremental cycle reads them. */
export interface DirectoryChangeRef {
  objectType: string;
  objectId: string;
}

/** Group changes that change whom a group entitles (membership changes are recorded on the user too). */
export const GROUP_ENTITLEMENT_CHANGES: readonly string[] = ['assignment', 'unassignment'];

/** What an incremental cycle's phase may visit. */
export interface IncrementalObjectSources {
  /** The directory changes in (watermark, upTo]. */
  changes: Iterable<DirectoryChangeRef>;
  /** Groups whose assignment to the application changed in (watermark, upTo]. */
  reassignedGroups: Iterable<string>;
  /** A group's direct members. */
  membersOf: (groupId: string) => Iterable<string>;
  /** Objects whose escrow retry is due. */
  dueEscrows: Iterable<string>;
}

/**
 * The users an incremental cycle visits, in source id order: those changed since the watermark,
 * the direct members of groups whose assignment changed (their entitlement changed with it), and
 * those whose escrow retry is due. Its cost follows the changes, not the size of the directory.
 */
export function selectIncrementalUsers(sources: IncrementalObjectSources): string[] {
  const ids = new Set<string>();
  for (const c of sources.changes) if (c.objectType === 'user') ids.add(c.objectId);
  for (const groupId of sources.reassignedGroups) for (const m of sources.membersOf(groupId)) ids.add(m);
  for (const id of sources.dueEscrows) ids.add(id);
  return [...ids].sort();
}

/** Each id once, in id order. */
function unionSorted(...lists: Iterable<string>[]): string[] {
  const ids = new Set<string>();
  for (const list of lists) for (const id of list) ids.add(id);
  return [...ids].sort();
}

/**
 * Changes of a group itself (not of its user members) that an incremental cycle's groups phase
 * visits. `nesting` (a group nested in it, or taken out) changes none of its members in the target,
 * but its event names the nested groups that are not expanded.
 */
export const GROUP_OBJECT_CHANGES: readonly string[] = [
  'add',
  'update',
  'softDelete',
  'restore',
  'hardDelete',
  'assignment',
  'unassignment',
  'nesting',
];

/**
 * The groups an incremental cycle's groups phase visits, in id order: those whose own attributes,
 * state or assignment changed since the watermark, and those whose escrow retry is due. A change
 * of members alone is the memberships phase's.
 */
export function selectIncrementalGroups(sources: {
  changedGroups: Iterable<string>;
  dueEscrows: Iterable<string>;
}): string[] {
  return unionSorted(sources.changedGroups, sources.dueEscrows);
}

/**
 * The groups whose memberships a cycle's memberships phase compares with the target, in id order.
 * Initial: every group the job provisions. Incremental: the groups whose members changed, the
 * groups the users the cycle visited are (or were exported as) members of — their accounts may
 * have been created, disabled or deleted —, the groups the cycle visited, and those whose
 * membership retry is due. "Visited" covers what the earlier phases selected and every object they
 * wrote an event for (an escrow retried, whose escrow is gone by now). A group that is not (or no
 * longer) in the target is passed over by the phase.
 */
export function selectMembershipGroups(
  kind: CycleKind,
  sources: {
    provisionedGroups: () => Iterable<string>;
    changedMemberships: () => Iterable<string>;
    /** Objects the earlier phases visited: users and groups alike. */
    visited: () => readonly string[];
    /** The groups these users are direct members of, or were exported to. */
    groupsOfUsers: (userIds: readonly string[]) => Iterable<string>;
    dueEscrows: Iterable<string>;
  },
): string[] {
  if (kind === 'Initial') return unionSorted(sources.provisionedGroups(), sources.dueEscrows);
  const visited = sources.visited();
  return unionSorted(
    sources.changedMemberships(),
    sources.groupsOfUsers(visited),
    visited,
    sources.dueEscrows,
  );
}

/** Index of the first id after `settledThrough` in sorted `ids`: where a resumed phase carries on. */
export function firstUnsettled(ids: readonly string[], settledThrough: string | null): number {
  if (settledThrough === null) return 0;
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ids[mid] as string) <= settledThrough) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The low-water mark of a phase whose objects finish out of order: an object's counts join the
 * cycle's, and the checkpoint passes it, only once every object before it is settled too.
 *
 * @example
 * const settling = new Settling(ids, start, tally);
 * settling.settle(i, objectTally); // then save settling.settledThrough with the checkpoint
 */
export class Settling {
  private readonly pending = new Map<number, CycleTally>();
  private lowWater: number;
  /** Every object up to this id is settled. */
  settledThrough: string | null;
  /** Objects settled, counting from the phase's start. */
  settledCount = 0;

  constructor(
    private readonly ids: readonly string[],
    start: number,
    private readonly tally: CycleTally,
    settledThrough: string | null = null,
  ) {
    this.lowWater = start;
    this.settledThrough = settledThrough;
  }

  /** Records that the object at `index` is settled with these counts. */
  settle(index: number, counts: CycleTally): void {
    this.pending.set(index, counts);
    for (let t = this.pending.get(this.lowWater); t !== undefined; t = this.pending.get(this.lowWater)) {
      addTally(this.tally, t);
      this.pending.delete(this.lowWater);
      this.settledThrough = this.ids[this.lowWater] ?? this.settledThrough;
      this.lowWater += 1;
      this.settledCount += 1;
    }
  }
}
