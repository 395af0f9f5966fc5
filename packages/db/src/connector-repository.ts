import type { Sqlite } from './database';
import { nowIso } from './util';

export type ConnectorState = 'pendingCreate' | 'linked' | 'disabled' | 'deleted';

/** What a job remembers of one source object (the connector data store). */
export interface ConnectorObject {
  jobId: string;
  sourceId: string;
  objectType: string;
  targetId: string | null;
  state: ConnectorState;
  /** Target attribute values as last exported (flat SCIM paths → value). */
  lastExported: Record<string, unknown>;
  inScope: boolean;
  updatedAt: string;
}

interface Row {
  job_id: string;
  source_id: string;
  object_type: string;
  target_id: string | null;
  state: ConnectorState;
  last_exported: string;
  in_scope: number;
  updated_at: string;
}
const toObj = (r: Row): ConnectorObject => ({
  jobId: r.job_id,
  sourceId: r.source_id,
  objectType: r.object_type,
  targetId: r.target_id,
  state: r.state,
  lastExported: JSON.parse(r.last_exported) as Record<string, unknown>,
  inScope: r.in_scope === 1,
  updatedAt: r.updated_at,
});

export class ConnectorRepository {
  private readonly upsert;
  private readonly find;
  // The memberships phase reads and writes these once per group: compiled once.
  private readonly membershipsOf;
  private readonly removeMembership;
  private readonly addMembership;
  private readonly clearMembershipsOf;
  constructor(private readonly db: Sqlite) {
    // Positional parameters: cheaper to bind than named ones, and a cycle saves each object twice.
    this.upsert = db.prepare(
      `INSERT INTO connector_objects (job_id, source_id, object_type, target_id, state, last_exported, in_scope, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (job_id, source_id) DO UPDATE SET target_id = excluded.target_id, state = excluded.state,
         last_exported = excluded.last_exported, in_scope = excluded.in_scope, updated_at = excluded.updated_at,
         object_type = excluded.object_type`,
    );
    this.find = db.prepare('SELECT * FROM connector_objects WHERE job_id = ? AND source_id = ?');
    this.membershipsOf = db.prepare(
      'SELECT member_source_id, member_target_id FROM connector_memberships WHERE job_id = ? AND group_source_id = ?',
    );
    this.removeMembership = db.prepare(
      'DELETE FROM connector_memberships WHERE job_id = ? AND group_source_id = ? AND member_source_id = ?',
    );
    this.addMembership = db.prepare(
      `INSERT INTO connector_memberships (job_id, group_source_id, member_source_id, member_target_id) VALUES (?, ?, ?, ?)
       ON CONFLICT (job_id, group_source_id, member_source_id) DO UPDATE SET member_target_id = excluded.member_target_id`,
    );
    this.clearMembershipsOf = db.prepare(
      'DELETE FROM connector_memberships WHERE job_id = ? AND group_source_id = ?',
    );
  }

  findObject(jobId: string, sourceId: string): ConnectorObject | null {
    const r = this.find.get(jobId, sourceId) as Row | undefined;
    return r ? toObj(r) : null;
  }

  /** Objects by source id, in one query per 500 ids. */
  listObjectsBySourceIds(jobId: string, sourceIds: readonly string[]): Map<string, ConnectorObject> {
    const out = new Map<string, ConnectorObject>();
    for (let i = 0; i < sourceIds.length; i += 500) {
      const chunk = sourceIds.slice(i, i + 500);
      const rows = this.db
        .prepare(
          `SELECT * FROM connector_objects WHERE job_id = ? AND source_id IN (${chunk.map(() => '?').join(',')})`,
        )
        .all(jobId, ...chunk) as Row[];
      for (const r of rows) out.set(r.source_id, toObj(r));
    }
    return out;
  }

  listObjects(jobId: string): ConnectorObject[] {
    return (this.db.prepare('SELECT * FROM connector_objects WHERE job_id = ?').all(jobId) as Row[]).map(
      toObj,
    );
  }

  /** Source ids the job currently provisions (linked or pending, in scope), of one object type when given. */
  listActiveSourceIds(jobId: string, objectType?: string): string[] {
    return this.db
      .prepare(
        `SELECT source_id FROM connector_objects WHERE job_id = ? AND state IN ('linked', 'pendingCreate') AND in_scope = 1
         ${objectType === undefined ? '' : 'AND object_type = ?'}`,
      )
      .pluck()
      .all(...(objectType === undefined ? [jobId] : [jobId, objectType])) as string[];
  }

  /** Objects linked to a target object (linked or disabled), of one object type when given. */
  countLinked(jobId: string, objectType?: string): number {
    return this.db
      .prepare(
        `SELECT COUNT(*) FROM connector_objects WHERE job_id = ? AND state IN ('linked', 'disabled')
         ${objectType === undefined ? '' : 'AND object_type = ?'}`,
      )
      .pluck()
      .get(...(objectType === undefined ? [jobId] : [jobId, objectType])) as number;
  }

  // ---- group memberships as exported ----

  /** The members a target group holds by the job's exports: member source id → member target id. */
  listMemberships(jobId: string, groupSourceId: string): Map<string, string> {
    const rows = this.membershipsOf.all(jobId, groupSourceId) as {
      member_source_id: string;
      member_target_id: string;
    }[];
    return new Map(rows.map((r) => [r.member_source_id, r.member_target_id]));
  }

  /** The groups whose exported members include one of these objects, each once. */
  listGroupsHoldingMembers(jobId: string, memberSourceIds: readonly string[]): string[] {
    const out = new Set<string>();
    for (let i = 0; i < memberSourceIds.length; i += 500) {
      const chunk = memberSourceIds.slice(i, i + 500);
      const ids = this.db
        .prepare(
          `SELECT DISTINCT group_source_id FROM connector_memberships
           WHERE job_id = ? AND member_source_id IN (${chunk.map(() => '?').join(',')})`,
        )
        .pluck()
        .all(jobId, ...chunk) as string[];
      for (const id of ids) out.add(id);
    }
    return [...out];
  }

  /** Records members added to and removed from a target group. */
  saveMembershipChanges(
    jobId: string,
    groupSourceId: string,
    changes: {
      add: readonly { sourceId: string; targetId: string }[];
      remove: readonly { sourceId: string }[];
    },
  ): void {
    for (const m of changes.remove) this.removeMembership.run(jobId, groupSourceId, m.sourceId);
    for (const m of changes.add) this.addMembership.run(jobId, groupSourceId, m.sourceId, m.targetId);
  }

  /** Forgets every membership of a group (the group was deleted in the target, or created anew). */
  clearMemberships(jobId: string, groupSourceId: string): void {
    this.clearMembershipsOf.run(jobId, groupSourceId);
  }

  countByType(jobId: string): { key: string; value: number }[] {
    return this.db
      .prepare(
        "SELECT object_type AS key, COUNT(*) AS value FROM connector_objects WHERE job_id = ? AND state != 'deleted' GROUP BY object_type",
      )
      .all(jobId) as { key: string; value: number }[];
  }

  saveObject(o: Omit<ConnectorObject, 'updatedAt'>): void {
    this.upsert.run(
      o.jobId,
      o.sourceId,
      o.objectType,
      o.targetId,
      o.state,
      JSON.stringify(o.lastExported),
      o.inScope ? 1 : 0,
      nowIso(),
    );
  }

  deleteObject(jobId: string, sourceId: string): void {
    this.db.prepare('DELETE FROM connector_objects WHERE job_id = ? AND source_id = ?').run(jobId, sourceId);
  }

  /** Restart with resetScope Full / ConnectorDataStore: forget every link. */
  clear(jobId: string): void {
    this.db.prepare('DELETE FROM connector_objects WHERE job_id = ?').run(jobId);
    this.db.prepare('DELETE FROM connector_memberships WHERE job_id = ?').run(jobId);
  }
}
