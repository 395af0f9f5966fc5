import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  dialectOf,
  openPostgresDb,
  PostgresRunner,
  provisioningWhere,
  SecretBox,
  type DirectoryQuery,
  type ProvisioDb,
  type SqliteProvisioDb,
} from '../src/index';
import { tempDb, testDb } from './helpers';
import { freshPostgresDatabase } from './postgres';

// SQLite only: EXPLAIN QUERY PLAN, and the text of SQLite's statements, are SQLite's.
describe('directory list queries use indexes', () => {
  let db: SqliteProvisioDb;
  let cleanup: () => Promise<void>;
  beforeAll(() => {
    ({ db, cleanup } = tempDb());
  });
  afterAll(() => cleanup());

  const plan = (sql: string, params: unknown[]) =>
    (db.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
      .map((r) => r.detail)
      .join(' | ');

  const usersPlan = async (query: Omit<DirectoryQuery, 'top'>, keyset = false) => {
    const { where, order } = await db.directoryQueries.querySql('directory_users', query);
    const key = keyset
      ? ' AND display_name >= ? COLLATE NOCASE AND (display_name > ? COLLATE NOCASE OR id > ?)'
      : '';
    return plan(`SELECT id FROM directory_users WHERE ${where.sql}${key} ORDER BY ${order} LIMIT 101`, [
      ...where.params,
      ...(keyset ? ['m', 'm', 'x'] : []),
    ]);
  };

  it.each<[string, Omit<DirectoryQuery, 'top'>, boolean, RegExp]>([
    ['a page in display name order', {}, false, /USING INDEX directory_users_display_name/],
    [
      'a deep page (keyset, not OFFSET)',
      {},
      true,
      /USING INDEX directory_users_display_name \(display_name>\?\)/,
    ],
    [
      'department eq, in display name order',
      { filter: { kind: 'eq', property: 'department', value: 'Sales' } },
      false,
      /USING INDEX directory_users_department \(department=\?\)/,
    ],
    [
      'id eq, in any case (the primary key)',
      { filter: { kind: 'eq', property: 'id', value: 'A0B1C2D3-0000-4000-8000-000000000000' } },
      false,
      /USING INDEX sqlite_autoindex_directory_users_1 \(id=\?\)/,
    ],
    [
      'startswith on id',
      { filter: { kind: 'startsWith', property: 'id', value: 'A0B1' } },
      false,
      /USING INDEX sqlite_autoindex_directory_users_1 \(id>\? AND id<\?\)/,
    ],
    [
      'startswith on surname',
      { filter: { kind: 'startsWith', property: 'surname', value: 'Lo' } },
      false,
      /USING INDEX directory_users_surname \(surname>\? AND surname<\?\)/,
    ],
    [
      'eq or eq on two properties (a union of two indexes)',
      {
        filter: {
          kind: 'or',
          conditions: [
            { kind: 'eq', property: 'userPrincipalName', value: 'a@b' },
            { kind: 'eq', property: 'employeeId', value: 'E1' },
          ],
        },
      },
      false,
      /MERGE \(UNION\).*user_principal_name=\?.*directory_users_employee_id \(employee_id=\?\)/,
    ],
    [
      'assigned to an application',
      { filter: { kind: 'assignedTo', servicePrincipalId: 'sp' } },
      false,
      /app_role_assignments.*service_principal_id=\?.*group_members/,
    ],
    [
      'a search for a rare text (trigram index)',
      { search: { text: 'lovelace', properties: ['displayName', 'mail'] } },
      false,
      /directory_users_search VIRTUAL TABLE/,
    ],
  ])('%s', async (_name, query, keyset, expected) => {
    const p = await usersPlan(query, keyset);
    expect(p).toMatch(expected);
    expect(p).not.toMatch(/SCAN directory_users(?!_| USING)/);
  });

  it('a delta page reads the change log by number and each object’s later changes by index', () => {
    const p = plan(
      `SELECT c.object_id FROM directory_changes c WHERE c.seq > ? AND c.seq <= ? AND +c.object_type = 'user'
         AND NOT EXISTS (SELECT 1 FROM directory_changes later WHERE later.object_type = c.object_type
           AND later.object_id = c.object_id AND later.seq > c.seq AND later.seq <= ?) ORDER BY c.seq LIMIT 101`,
      [1, 2, 2],
    );
    expect(p).toMatch(/SEARCH c USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
    expect(p).toMatch(/directory_changes_object \(object_type=\? AND object_id=\? AND seq>\? AND seq<\?\)/);
    expect(
      plan(
        'SELECT user_id FROM group_member_changes WHERE group_id IN (?) AND after_seq >= ? AND after_seq < ?',
        ['g', 1, 2],
      ),
    ).toMatch(/group_member_changes_group/);
  });
});

// On PostgreSQL whatever the run's dialect, as the runner tests are: the search's condition must be
// the very expression migrations/postgres builds the trigram index on, or the index goes unused.
describe('on PostgreSQL, the directory search', () => {
  it('is answered by the trigram index', async () => {
    const url = await freshPostgresDatabase();
    const db = await openPostgresDb({ url, secretBox: SecretBox.fromKey(randomBytes(32)) });
    const runner = PostgresRunner.open(url, { poolSize: 1 });
    onTestFinished(async () => {
      await runner.close();
      await db.close();
    });
    const { where } = await db.directoryQueries.querySql('directory_users', {
      search: { text: 'Lovelace', properties: ['displayName', 'mail'] },
    });
    // The table is empty: told not to scan it, the planner shows which index can answer.
    const plan = await runner.transaction(async (tx) => {
      await tx.run('SET LOCAL enable_seqscan = off');
      await tx.run('SET LOCAL enable_indexscan = off');
      return (
        await tx.all<{ 'QUERY PLAN': string }>(
          `EXPLAIN SELECT id FROM directory_users WHERE ${where.sql}`,
          where.params,
        )
      )
        .map((r) => r['QUERY PLAN'])
        .join('\n');
    });
    expect(plan).toMatch(/Bitmap Index Scan on directory_users_search/);
    expect(where.params).toContain('%lovelace%');
  });
});

describe("on PostgreSQL, the provisioning log's identity search", () => {
  it('is answered by the trigram index', async () => {
    const url = await freshPostgresDatabase();
    const runner = PostgresRunner.open(url, { poolSize: 1 });
    onTestFinished(() => runner.close());
    const { where, params } = provisioningWhere(
      dialectOf('postgres'),
      { identityContains: 'Ada Lovelace' },
      undefined,
    );
    const plan = await runner.transaction(async (tx) => {
      await tx.run('SET LOCAL enable_seqscan = off');
      await tx.run('SET LOCAL enable_indexscan = off');
      // The table is empty: any index is as cheap as another, and the planner takes a time index
      // for its bitmap. Without those two (in this throwaway database), it shows whether the
      // trigram index answers the condition: only if the expressions are the same.
      await tx.run('DROP INDEX provisioning_events_sp_time');
      await tx.run('DROP INDEX provisioning_events_time');
      return (
        await tx.all<{ 'QUERY PLAN': string }>(
          `EXPLAIN SELECT id FROM provisioning_events WHERE ${where.join(' AND ')}`,
          params,
        )
      )
        .map((r) => r['QUERY PLAN'])
        .join('\n');
    });
    expect(plan).toMatch(/Bitmap Index Scan on provisioning_events_identity/);
    // The index holds the names and each id's first 8 characters: it is asked for the text's first 8,
    // and the rows it finds are tested for the whole text in the names, or at the start of an id.
    expect(params).toEqual(['%Ada Love%', '%Ada Lovelace%', 'Ada Lovelace%', 'Ada Lovelace%']);
  });
});

describe('directory changes for delta', () => {
  let db: ProvisioDb;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ db, cleanup } = await testDb());
  });
  afterAll(() => cleanup());

  it('reports each changed user once, at its last change, page by page; memberships are not user changes', async () => {
    const since = await db.directory.latestChangeSeq();
    const a = await db.directory.insertUser({ userPrincipalName: 'dq-a@x.test', displayName: 'A' });
    const b = await db.directory.insertUser({ userPrincipalName: 'dq-b@x.test', displayName: 'B' });
    const c = await db.directory.insertUser({ userPrincipalName: 'dq-c@x.test', displayName: 'C' });
    await db.directory.updateUser(a.id, { jobTitle: 'again' });
    const g = await db.directory.insertGroup({ displayName: 'G' });
    await db.directory.addMember(g.id, b.id);
    await db.directory.hardDeleteUser(c.id);
    const upTo = await db.directory.latestChangeSeq();

    const first = await db.directoryQueries.listChangedIds('user', since, upTo, 2);
    expect(first.map((x) => x.id)).toEqual([b.id, a.id]);
    const rest = await db.directoryQueries.listChangedIds('user', first[1]!.seq, upTo, 2);
    expect(rest.map((x) => x.id)).toEqual([c.id]);
    expect((await db.directoryQueries.listChangedIds('group', since, upTo, 10)).map((x) => x.id)).toEqual([
      g.id,
    ]);

    // Which users joined or left the group in the window, and whether they are members now.
    await db.directory.removeMember(g.id, b.id);
    await db.directory.addMember(g.id, a.id);
    const now = await db.directory.latestChangeSeq();
    expect(await db.directoryQueries.listMemberChanges([g.id], { since: upTo, upTo: now })).toEqual(
      [
        { groupId: g.id, userId: a.id, member: true },
        { groupId: g.id, userId: b.id, member: false },
      ].sort((x, y) => x.userId.localeCompare(y.userId)),
    );
    expect(await db.directoryQueries.listMemberChanges([g.id], { since: now, upTo: now })).toEqual([]);
  });

  it('keeps the search index in step with users created, renamed and deleted', async () => {
    const search = async (text: string) =>
      (
        await db.directoryQueries.queryUsers({
          top: 10,
          search: { text, properties: ['displayName', 'userPrincipalName'] },
        })
      ).items.map((u) => u.displayName);
    const u = await db.directory.insertUser({
      userPrincipalName: 'quokka@x.test',
      displayName: 'Quentin Quokka',
    });
    expect(await search('quokk')).toEqual(['Quentin Quokka']);
    await db.directory.updateUser(u.id, {
      displayName: 'Wallaby Quokka',
      userPrincipalName: 'wallaby@x.test',
    });
    expect(await search('quentin')).toEqual([]);
    expect(await search('wallab')).toEqual(['Wallaby Quokka']);
    await db.directory.hardDeleteUser(u.id);
    expect(await search('wallab')).toEqual([]);
  });
});
