import type { ConnectorObject, EscrowRecord, ProvisioDb } from '@provisio/db';
import {
  selectInitialObjects,
  type AppRoleRef,
  type CompiledObjectMapping,
  type CycleKind,
  type Entitlement,
  type ObjectType,
  type ScopeResult,
  type SourceView,
} from '@provisio/engine';
import type { AttributeChange, ListResponse, ScimClient, ScimResource } from '@provisio/scim-client';
import type { DbWrite } from './durable-writer';

/** One source object to synchronize, with what the job remembers of it. */
export interface SyncItem<Source = unknown> {
  sourceId: string;
  /** null when the object was hard-deleted from the directory. */
  source: Source | null;
  entitlement: Entitlement | null;
  connector: ConnectorObject | null;
  escrow: EscrowRecord | null;
  /** A group's nested groups, not expanded: its events name them. */
  nestedGroups?: readonly { id: string; displayName: string }[];
}

/** The window of directory changes an incremental cycle covers. */
export interface ChangeWindow {
  after: number;
  upTo: number;
  now: Date;
}

/**
 * The source ids a type's phase visits, selected once per run of a cycle: the deletion count, the
 * phase itself and the later phases' view of what was visited all read the same list.
 */
export type SelectObjects = (handler: ObjectTypeHandler) => Promise<readonly string[]>;

/** A `SelectObjects` that asks each handler once and remembers its answer for the rest of the run. */
export function selectOnce(
  db: ProvisioDb,
  job: { jobId: string; servicePrincipalId: string; syncAll: boolean },
  kind: CycleKind,
  window: ChangeWindow,
): SelectObjects {
  const selected = new Map<ObjectType, Promise<readonly string[]>>();
  return (handler) => {
    let ids = selected.get(handler.objectType);
    if (!ids) {
      ids = handler.selectObjects(db, job, kind, window);
      selected.set(handler.objectType, ids);
    }
    return ids;
  };
}

/** The SCIM requests the pipeline sends for one object type. */
export interface TargetOperations {
  find(attribute: string, value: string): Promise<ScimResource[]>;
  get(id: string): Promise<ScimResource>;
  /** One page of the target's objects with only `attributes`; absent when the type cannot be listed. */
  list?(startIndex: number, count: number, attributes: string[]): Promise<ListResponse<ScimResource>>;
  create(body: Record<string, unknown>): Promise<ScimResource>;
  update(id: string, changes: AttributeChange[]): Promise<void>;
  disable(id: string): Promise<void>;
  delete(id: string): Promise<void>;
}

/** What the job's object mapping and application give every object of a type. */
export interface HandlerScope {
  syncAll: boolean;
  appRoles: readonly AppRoleRef[];
}

/**
 * Everything the per-object pipeline (import → scope → match → plan → export → event) and a
 * cycle's phase need to know of one object type: where its objects come from, how a source object
 * looks to the mappings and the scoping filters, and which SCIM requests carry its exports. The
 * pipeline and the phase runner are the same for every type; a new type is a new handler.
 */
export interface ObjectTypeHandler<Source = unknown> {
  readonly objectType: ObjectType;
  /** What progress counts in (Graph's progress `units`). */
  readonly units: string;
  /** The compiled object mapping of this type. */
  readonly compiled: CompiledObjectMapping;
  /** What becomes of a target object whose source left scope (users are disabled, groups deleted). */
  readonly outOfScope: 'disable' | 'delete';
  /**
   * The writes that go in the object's durable write when its target object changed (created
   * anew, deleted, forgotten): what the job remembers of the old one's relations goes with it.
   */
  onTargetChanged?(jobId: string, sourceId: string): DbWrite[];
  /** The source ids a cycle's phase visits, in source id order (the checkpoint relies on it). */
  selectObjects(
    db: ProvisioDb,
    job: { jobId: string; servicePrincipalId: string; syncAll: boolean },
    kind: CycleKind,
    window: ChangeWindow,
  ): Promise<string[]>;
  /** Reads the items of these source ids, in the same order. */
  loadItems(
    db: ProvisioDb,
    job: { jobId: string; servicePrincipalId: string },
    ids: readonly string[],
  ): Promise<SyncItem<Source>[]>;
  /** The source object as the mappings and scoping filters see it, and its scope. */
  viewOf(
    source: Source,
    entitlement: Entitlement | null,
    scope: HandlerScope,
  ): { view: SourceView; scope: ScopeResult };
  /** How events name the object: from the source, else from what was last exported, else its id. */
  identify(item: SyncItem<Source>): { displayName: string; reportableIdentifier: string };
  /** The SCIM requests for this type. */
  target(client: ScimClient): TargetOperations;
}

/**
 * The objects of a type an initial cycle visits: `candidates` (every object with Sync all, else
 * those assigned or entitled: the only list the engine reads), with those the job provisions or
 * holds in escrow, as `selectInitialObjects` decides.
 */
export async function selectInitialOf(
  db: ProvisioDb,
  job: { jobId: string; syncAll: boolean },
  objectType: ObjectType,
  candidates: readonly string[],
): Promise<string[]> {
  return selectInitialObjects(
    {
      all: () => candidates,
      entitled: () => candidates,
      provisioned: await db.connector.listActiveSourceIds(job.jobId, objectType),
      escrowed: await db.escrows.listSourceIds(job.jobId, objectType),
    },
    job.syncAll,
  );
}
