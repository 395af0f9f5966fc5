import { postgresDialect, sqliteDialect, type SqlDialect } from './dialect';
import type { SqlRunner } from './sql-runner';
import { bulkChunks, nowIso, valueRows } from './util';

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
/** The states of an object linked to a target object. */
const LINKED = "state IN ('linked', 'disabled')";

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

// A cycle saves each object twice and the memberships phase reads and writes memberships once per
// group: fixed texts, so that the runner prepares each once. Positional parameters: cheaper to bind.
const UPSERT_OBJECTS = (
  rows: number,
) => `INSERT INTO connector_objects (job_id, source_id, object_type, target_id, state, last_exported, in_scope, updated_at)
  VALUES ${valueRows(rows, 8)}
  ON CONFLICT (job_id, source_id) DO UPDATE SET target_id = excluded.target_id, state = excluded.state,
    last_exported = excluded.last_exported, in_scope = excluded.in_scope, updated_at = excluded.updated_at,
    object_type = excluded.object_type`;
const UPSERT_OBJECT = UPSERT_OBJECTS(1);
const objectParams = (o: Omit<ConnectorObject, 'updatedAt'>, now: string): unknown[] => [
  o.jobId,
  o.sourceId,
  o.objectType,
  o.targetId,
  o.state,
  JSON.stringify(o.lastExported),
  o.inScope ? 1 : 0,
  now,
];
const FIND_OBJECT = 'SELECT * FROM connector_objects WHERE job_id = ? AND source_id = ?';
// One row of `rows` values is the IN list of `rows` members.
const REMOVE_MEMBERSHIPS = (rows: number) =>
  `DELETE FROM connector_memberships WHERE job_id = ? AND group_source_id = ? AND member_source_id IN ${valueRows(1, rows)}`;
const ADD_MEMBERSHIPS = (
  rows: number,
) => `INSERT INTO connector_memberships (job_id, group_source_id, member_source_id, member_target_id) VALUES ${valueRows(rows, 4)}
  ON CONFLICT (job_id, group_source_id, member_source_id) DO UPDATE SET member_target_id = excluded.member_target_id`;
const CLEAR_MEMBERSHIPS_OF = 'DELETE FROM connector_memberships WHERE job_id = ? AND group_source_id = ?';

/** How a job exported one object, in the few fields a group's members are compared by. */
export interface ExportedName {
  state: ConnectorState;
  targetId: string | null;
  /** `userName` and `displayName` as last exported, when they were (SCIM makes both strings). */
  userName: string | null;
  displayName: string | null;
}

interface ExportedNameRow {
  source_id: string;
  state: ConnectorState;
  target_id: string | null;
  user_name: string | null;
  display_name: string | null;
}

// Built once per dialect: repositories are built anew for every transaction.
const exportedNames =
  ({ jsonText }: SqlDialect) =>
  (rows: number) =>
    `SELECT source_id, state, target_id, ${jsonText('last_exported', 'userName')} AS user_name,
          ${jsonText('last_exported', 'displayName')} AS display_name
   FROM connector_objects WHERE job_id = ? AND source_id IN ${valueRows(1, rows)}`;
const EXPORTED_NAMES = { sqlite: exportedNames(sqliteDialect), postgres: exportedNames(postgresDialect) };

export class ConnectorRepository {
  constructor(private readonly runner: SqlRunner) {}

  async findObject(jobId: string, sourceId: string): Promise<ConnectorObject | null> {
    const r = await this.runner.get<Row>(FIND_OBJECT, [jobId, sourceId]);
    return r ? toObj(r) : null;
  }

  /** Objects by source id, in one query per 500 ids. */
  async listObjectsBySourceIds(
    jobId: string,
    sourceIds: readonly string[],
  ): Promise<Map<string, ConnectorObject>> {
    const out = new Map<string, ConnectorObject>();
    for (const { chunk } of bulkChunks(sourceIds)) {
      const rows = await this.runner.all<Row>(
        `SELECT * FROM connector_objects WHERE job_id = ? AND source_id IN (${chunk.map(() => '?').join(',')})`,
        [jobId, ...chunk],
      );
      for (const r of rows) out.set(r.source_id, toObj(r));
    }
    return out;
  }

  /** The state of the job's record of each of `sourceIds` it has one of (`linked`, `deleted`, …). */
  async listStates(jobId: string, sourceIds: readonly string[]): Promise<Map<string, ConnectorState>> {
    const out = new Map<string, ConnectorState>();
    for (const { chunk } of bulkChunks(sourceIds)) {
      const rows = await this.runner.all<{ source_id: string; state: ConnectorState }>(
        `SELECT source_id, state FROM connector_objects WHERE job_id = ? AND source_id IN ${valueRows(1, chunk.length)}`,
        [jobId, ...chunk],
      );
      for (const r of rows) out.set(r.source_id, r.state);
    }
    return out;
  }

  /**
   * The target ids of those of `sourceIds` the job holds linked to an object in the target: what a
   * group's members are compared by, read from columns alone (no record's JSON is read or parsed).
   */
  async listLinkedTargetIds(jobId: string, sourceIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const { chunk } of bulkChunks(sourceIds)) {
      const rows = await this.runner.all<{ source_id: string; target_id: string }>(
        `SELECT source_id, target_id FROM connector_objects
         WHERE job_id = ? AND state = 'linked' AND target_id IS NOT NULL AND source_id IN ${valueRows(1, chunk.length)}`,
        [jobId, ...chunk],
      );
      for (const r of rows) out.set(r.source_id, r.target_id);
    }
    return out;
  }

  /**
   * Which source object holds each target object of a type (a record linked, disabled or pending
   * with that target id): target id → source id. Matching reads it before it links an object found
   * by attribute, so that two source objects never share one target object.
   */
  async listHoldersByTargetId(jobId: string, objectType: string): Promise<Map<string, string>> {
    const rows = await this.runner.all<{ source_id: string; target_id: string }>(
      `SELECT source_id, target_id FROM connector_objects
       WHERE job_id = ? AND object_type = ? AND target_id IS NOT NULL AND state != 'deleted'`,
      [jobId, objectType],
    );
    return new Map(rows.map((r) => [r.target_id, r.source_id]));
  }

  /**
   * How the job exported each of `sourceIds` it holds a record of, without reading (or parsing)
   * whole records: the names a group's event gives the members it added or removed, and a manager's
   * target id.
   */
  async listExportedNames(jobId: string, sourceIds: readonly string[]): Promise<Map<string, ExportedName>> {
    const out = new Map<string, ExportedName>();
    const sql = EXPORTED_NAMES[this.runner.dialect];
    for (const { chunk } of bulkChunks(sourceIds)) {
      for (const r of await this.runner.all<ExportedNameRow>(sql(chunk.length), [jobId, ...chunk]))
        out.set(r.source_id, {
          state: r.state,
          targetId: r.target_id,
          userName: r.user_name,
          displayName: r.display_name,
        });
    }
    return out;
  }

  async listObjects(jobId: string): Promise<ConnectorObject[]> {
    return (await this.runner.all<Row>('SELECT * FROM connector_objects WHERE job_id = ?', [jobId])).map(
      toObj,
    );
  }

  /** Source ids the job currently provisions (linked or pending, in scope), of one object type when given. */
  async listActiveSourceIds(jobId: string, objectType?: string): Promise<string[]> {
    return (
      await this.runner.all<{ source_id: string }>(
        `SELECT source_id FROM connector_objects WHERE job_id = ? AND state IN ('linked', 'pendingCreate') AND in_scope = 1
         ${objectType === undefined ? '' : 'AND object_type = ?'}`,
        objectType === undefined ? [jobId] : [jobId, objectType],
      )
    ).map((r) => r.source_id);
  }

  /** Objects linked to a target object (linked or disabled), of one object type when given. */
  async countLinked(jobId: string, objectType?: string): Promise<number> {
    return (await this.runner.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM connector_objects WHERE job_id = ? AND ${LINKED}
       ${objectType === undefined ? '' : 'AND object_type = ?'}`,
      objectType === undefined ? [jobId] : [jobId, objectType],
    ))!.n;
  }

  /** Whether any object of the type is linked (as `countLinked`), found without counting them all. */
  async hasLinked(jobId: string, objectType: string): Promise<boolean> {
    const found = await this.runner.get(
      `SELECT 1 FROM connector_objects WHERE job_id = ? AND ${LINKED} AND object_type = ? LIMIT 1`,
      [jobId, objectType],
    );
    return found !== undefined;
  }

  // ---- group memberships as exported ----

  /** The members a target group holds by the job's exports: member source id → member target id. */
  async listMemberships(jobId: string, groupSourceId: string): Promise<Map<string, string>> {
    return (await this.listMembershipsOf(jobId, [groupSourceId])).get(groupSourceId) ?? new Map();
  }

  /**
   * `listMemberships` of each of some groups: one statement per `BULK_ROWS` groups. A group the
   * job exported no members of has an empty map.
   */
  async listMembershipsOf(
    jobId: string,
    groupSourceIds: readonly string[],
  ): Promise<Map<string, Map<string, string>>> {
    const out = new Map<string, Map<string, string>>(groupSourceIds.map((id) => [id, new Map()]));
    for (const { chunk } of bulkChunks(groupSourceIds)) {
      const rows = await this.runner.all<{
        group_source_id: string;
        member_source_id: string;
        member_target_id: string;
      }>(
        `SELECT group_source_id, member_source_id, member_target_id FROM connector_memberships
         WHERE job_id = ? AND group_source_id IN (${chunk.map(() => '?').join(', ')})`,
        [jobId, ...chunk],
      );
      for (const r of rows) out.get(r.group_source_id)?.set(r.member_source_id, r.member_target_id);
    }
    return out;
  }

  /** The groups whose exported members include one of these objects, each once. */
  async listGroupsHoldingMembers(jobId: string, memberSourceIds: readonly string[]): Promise<string[]> {
    const out = new Set<string>();
    for (const { chunk } of bulkChunks(memberSourceIds)) {
      const rows = await this.runner.all<{ group_source_id: string }>(
        `SELECT DISTINCT group_source_id FROM connector_memberships
         WHERE job_id = ? AND member_source_id IN (${chunk.map(() => '?').join(',')})`,
        [jobId, ...chunk],
      );
      for (const r of rows) out.add(r.group_source_id);
    }
    return [...out];
  }

  /**
   * Records members added to and removed from a group in the target, removals first, in one
   * statement per `BULK_ROWS` members each way: on PostgreSQL each statement is a round trip, and a
   * statement per member made the memberships phase of 200,000 members take about 75 s there.
   */
  async saveMembershipChanges(
    jobId: string,
    groupSourceId: string,
    changes: {
      add: readonly { sourceId: string; targetId: string }[];
      remove: readonly { sourceId: string }[];
    },
  ): Promise<void> {
    const removed = [...new Set(changes.remove.map((m) => m.sourceId))];
    for (const { chunk } of bulkChunks(removed))
      await this.runner.run(REMOVE_MEMBERSHIPS(chunk.length), [jobId, groupSourceId, ...chunk]);
    // One statement may not upsert a row twice: a member's last target id is kept, as one
    // statement after another would keep it.
    const added = [...new Map(changes.add.map((m) => [m.sourceId, m.targetId]))];
    for (const { chunk } of bulkChunks(added))
      await this.runner.run(
        ADD_MEMBERSHIPS(chunk.length),
        chunk.flatMap(([sourceId, targetId]) => [jobId, groupSourceId, sourceId, targetId]),
      );
  }

  /** Forgets every membership of a group (the group was deleted in the target, or created anew). */
  async clearMemberships(jobId: string, groupSourceId: string): Promise<void> {
    await this.runner.run(CLEAR_MEMBERSHIPS_OF, [jobId, groupSourceId]);
  }

  async countByType(jobId: string): Promise<{ key: string; value: number }[]> {
    return this.runner.all<{ key: string; value: number }>(
      "SELECT object_type AS key, COUNT(*) AS value FROM connector_objects WHERE job_id = ? AND state != 'deleted' GROUP BY object_type",
      [jobId],
    );
  }

  async saveObject(o: Omit<ConnectorObject, 'updatedAt'>): Promise<void> {
    await this.runner.run(UPSERT_OBJECT, objectParams(o, nowIso()));
  }

  /**
   * Saves many records as `saveObject` one after another would (the last of one object wins), in
   * one statement per `BULK_ROWS`: a cycle's group commit, where round trips to PostgreSQL dominate.
   */
  async saveObjects(objects: readonly Omit<ConnectorObject, 'updatedAt'>[]): Promise<void> {
    // One statement may not upsert a row twice: only each object's last record is sent.
    const last = new Map<string, Omit<ConnectorObject, 'updatedAt'>>();
    for (const o of objects) {
      const key = `${o.jobId}\u0000${o.sourceId}`;
      last.delete(key);
      last.set(key, o);
    }
    const rows = [...last.values()];
    const now = nowIso();
    for (const { chunk } of bulkChunks(rows)) {
      await this.runner.run(
        chunk.length === 1 ? UPSERT_OBJECT : UPSERT_OBJECTS(chunk.length),
        chunk.flatMap((o) => objectParams(o, now)),
      );
    }
  }

  async deleteObject(jobId: string, sourceId: string): Promise<void> {
    await this.runner.run('DELETE FROM connector_objects WHERE job_id = ? AND source_id = ?', [
      jobId,
      sourceId,
    ]);
  }

  /** Restart with resetScope Full / ConnectorDataStore: forget every link. */
  async clear(jobId: string): Promise<void> {
    await this.runner.transaction(async (tx) => {
      await tx.run('DELETE FROM connector_objects WHERE job_id = ?', [jobId]);
      await tx.run('DELETE FROM connector_memberships WHERE job_id = ?', [jobId]);
    });
  }
}
