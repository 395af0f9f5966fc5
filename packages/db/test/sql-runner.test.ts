import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  containsPattern,
  DbConflictError,
  dialectOf,
  DbReferenceError,
  openSqlite,
  PostgresRunner,
  SqliteRunner,
  toPostgresPlaceholders,
  type SqlRunner,
} from '../src/index';
import { freshPostgresDatabase } from './postgres';

const TABLES = [
  'CREATE TABLE parents (id TEXT PRIMARY KEY, name TEXT NOT NULL, n BIGINT NOT NULL DEFAULT 0)',
  'CREATE UNIQUE INDEX parents_name_lower ON parents (lower(name))',
  'CREATE TABLE children (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parents(id))',
];

/** The same cases on both dialects: what repositories may rely on, whatever the database. */
function runnerCases(name: string, open: () => Promise<{ runner: SqlRunner; close: () => Promise<void> }>) {
  describe(`the ${name} runner`, () => {
    let runner: SqlRunner;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ runner, close } = await open());
      for (const sql of TABLES) await runner.run(sql);
    });
    afterAll(() => close());

    it('runs statements with ? placeholders and reads rows back, big integers as numbers', async () => {
      expect(
        await runner.run('INSERT INTO parents (id, name, n) VALUES (?, ?, ?)', ['p1', 'Ada', 2 ** 40]),
      ).toEqual({
        changes: 1,
      });
      expect(await runner.get('SELECT id, name, n FROM parents WHERE id = ?', ['p1'])).toEqual({
        id: 'p1',
        name: 'Ada',
        n: 2 ** 40,
      });
      expect(await runner.get('SELECT id FROM parents WHERE id = ?', ['nobody'])).toBeUndefined();
      expect(await runner.all("SELECT COUNT(*) AS count, '?' AS mark FROM parents")).toEqual([
        { count: 1, mark: '?' },
      ]);
    });

    it('commits a transaction that resolves and rolls back one that rejects', async () => {
      await runner.transaction(async (tx) => {
        await tx.run('INSERT INTO parents (id, name) VALUES (?, ?)', ['p2', 'Grace']);
        await tx.run('INSERT INTO children (id, parent_id) VALUES (?, ?)', ['c1', 'p2']);
      });
      await expect(
        runner.transaction(async (tx) => {
          await tx.run('INSERT INTO parents (id, name) VALUES (?, ?)', ['p3', 'Linus']);
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(
        (await runner.all<{ id: string }>('SELECT id FROM parents ORDER BY id')).map((r) => r.id),
      ).toEqual(['p1', 'p2']);
    });

    it('a nested transaction is a savepoint: its failure undoes only its own work', async () => {
      await runner.transaction(async (tx) => {
        await tx.run('INSERT INTO parents (id, name) VALUES (?, ?)', ['p4', 'Barbara']);
        await expect(
          tx.transaction(async (inner) => {
            await inner.run('INSERT INTO parents (id, name) VALUES (?, ?)', ['p5', 'Ken']);
            throw new Error('inner');
          }),
        ).rejects.toThrow('inner');
      });
      expect(await runner.get('SELECT id FROM parents WHERE id = ?', ['p4'])).toEqual({ id: 'p4' });
      expect(await runner.get('SELECT id FROM parents WHERE id = ?', ['p5'])).toBeUndefined();
    });

    it('work from elsewhere never lands inside an open transaction', async () => {
      let inside!: () => void;
      const gate = new Promise<void>((resolve) => (inside = resolve));
      const tx = runner.transaction(async (t) => {
        await t.run('INSERT INTO parents (id, name) VALUES (?, ?)', ['p6', 'Edsger']);
        await gate;
        throw new Error('rolled back');
      });
      // Meanwhile, a write outside the transaction: it must survive the transaction's rollback.
      const outside = runner.run('INSERT INTO parents (id, name) VALUES (?, ?)', ['p7', 'Tony']);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inside();
      await expect(tx).rejects.toThrow('rolled back');
      await outside;
      expect(await runner.get('SELECT id FROM parents WHERE id = ?', ['p6'])).toBeUndefined();
      expect(await runner.get('SELECT id FROM parents WHERE id = ?', ['p7'])).toEqual({ id: 'p7' });
    });

    it('the dialect’s fragments mean the same on both: case-insensitive order, equality and LIKE, insertion order, JSON text, locks', async () => {
      const d = dialectOf(runner.dialect);
      const seq = runner.dialect === 'postgres' ? ', seq bigint GENERATED ALWAYS AS IDENTITY' : '';
      await runner.run(`CREATE TABLE notes (id TEXT PRIMARY KEY, title TEXT NOT NULL, doc TEXT${seq})`);
      for (const [id, title, doc] of [
        ['n3', 'banana', '{"cycleId":"c-3"}'],
        ['n1', 'Apple', '{"other":1}'],
        ['n2', 'cherry 100%', '{"cycleId":"c-2"}'],
      ])
        await runner.run('INSERT INTO notes (id, title, doc) VALUES (?, ?, ?)', [id, title, doc]);
      const ids = async (sql: string, params: unknown[] = []) =>
        (await runner.all<{ id: string }>(sql, params)).map((r) => r.id);
      expect(await ids(`SELECT id FROM notes ORDER BY ${d.nocase('title')}, id`)).toEqual(['n1', 'n3', 'n2']);
      expect(
        await ids(`SELECT id FROM notes WHERE ${d.nocase('title')} = ${d.nocase('?')}`, ['APPLE']),
      ).toEqual(['n1']);
      // The other operand of a comparison SQLite already makes without case: as it is there, lower() here.
      expect(
        await ids(`SELECT id FROM notes WHERE ${d.nocaseOperand('title')} = ${d.nocase('?')}`, ['BANANA']),
      ).toEqual(['n3']);
      expect(
        await ids(
          `SELECT id FROM notes WHERE (${d.nocase('title')}, id) > (${d.nocaseOperand('?')}, ?) ORDER BY ${d.nocase('title')}, id`,
          ['BANANA', 'n3'],
        ),
      ).toEqual(['n2']);
      expect(
        await ids(`SELECT id FROM notes WHERE ${d.likeNocase('title')}`, [containsPattern('Y 100%')]),
      ).toEqual(['n2']);
      expect(
        await ids(`SELECT id FROM notes WHERE ${d.likeNocase('title')}`, [containsPattern('0_')]),
      ).toEqual([]);
      expect(await ids(`SELECT id FROM notes ORDER BY ${d.insertionOrder} DESC`)).toEqual(['n2', 'n1', 'n3']);
      expect(
        await runner.all(`SELECT id, ${d.jsonText('doc', 'cycleId')} AS cycle FROM notes ORDER BY id`),
      ).toEqual([
        { id: 'n1', cycle: null },
        { id: 'n2', cycle: 'c-2' },
        { id: 'n3', cycle: 'c-3' },
      ]);
      expect(await ids(`SELECT id FROM notes ORDER BY ${d.withoutIndex('title')}`)).toEqual([
        'n1',
        'n3',
        'n2',
      ]);
      await runner.transaction(async (tx) => {
        expect(await tx.get(`SELECT id FROM notes WHERE id = ?${d.forUpdate}`, ['n1'])).toEqual({ id: 'n1' });
        expect(await tx.get(`SELECT id FROM notes ORDER BY id LIMIT 1${d.forUpdateSkipLocked}`)).toEqual({
          id: 'n1',
        });
      });
      expect(() => d.nocase('title; DROP TABLE notes')).toThrow(/Not a plain SQL name/);
    });

    it('a duplicate key is a DbConflictError naming the table and column, a dangling reference a DbReferenceError', async () => {
      const duplicate = runner.run('INSERT INTO parents (id, name) VALUES (?, ?)', ['p1', 'someone']);
      await expect(duplicate).rejects.toBeInstanceOf(DbConflictError);
      await expect(duplicate).rejects.toMatchObject({ table: 'parents', columns: ['id'] });
      const sameName = runner.run('INSERT INTO parents (id, name) VALUES (?, ?)', ['p9', 'ADA']);
      await expect(sameName).rejects.toBeInstanceOf(DbConflictError);
      await expect(
        runner.run('INSERT INTO children (id, parent_id) VALUES (?, ?)', ['c2', 'nobody']),
      ).rejects.toBeInstanceOf(DbReferenceError);
    });
  });
}

runnerCases('SQLite', () => {
  const sqlite = new Database(':memory:');
  sqlite.pragma('foreign_keys = ON');
  return Promise.resolve({
    runner: new SqliteRunner(sqlite),
    close: () => {
      sqlite.close();
      return Promise.resolve();
    },
  });
});

describe('the SQLite runner, in particular', () => {
  it('refuses a statement that would wait for its own transaction, instead of hanging', async () => {
    const sqlite = new Database(':memory:');
    const runner = new SqliteRunner(sqlite, { checkNesting: true });
    await runner.run('CREATE TABLE t (id TEXT PRIMARY KEY)');
    await expect(
      runner.transaction(async (tx) => {
        await tx.run('INSERT INTO t (id) VALUES (?)', ['a']);
        await runner.run('INSERT INTO t (id) VALUES (?)', ['b']);
      }),
    ).rejects.toThrow(/used the database outside it: use the runner the transaction hands out/);
    expect(await runner.all('SELECT id FROM t')).toEqual([]);
    sqlite.close();
  });
});

runnerCases('PostgreSQL', async () => {
  const runner = PostgresRunner.open(await freshPostgresDatabase({ empty: true }), { poolSize: 4 });
  return { runner, close: () => runner.close() };
});

describe('PostgreSQL connections', () => {
  it('are planned at every execution, also when the URL gives options of its own', async () => {
    const url = await freshPostgresDatabase({ empty: true });
    const withOptions = new URL(url);
    withOptions.searchParams.set('options', '-c search_path=elsewhere,public');
    for (const [u, searchPath] of [
      [url, '"$user", public'],
      [withOptions.toString(), 'elsewhere,public'],
    ] as const) {
      const runner = PostgresRunner.open(u, { poolSize: 1 });
      try {
        expect(await runner.all('SHOW plan_cache_mode')).toEqual([{ plan_cache_mode: 'force_custom_plan' }]);
        expect(await runner.all('SHOW search_path')).toEqual([{ search_path: searchPath }]);
      } finally {
        await runner.close();
      }
    }
  });
});

/** Two runners on one database: one reads in a snapshot while the other writes. */
function snapshotCase(
  name: string,
  open: () => Promise<{ reader: SqlRunner; writer: SqlRunner; close: () => Promise<void> }>,
) {
  it(`${name}: a snapshot's reads see one state while another connection writes, which it does not hold back`, async () => {
    const { reader, writer, close } = await open();
    try {
      await writer.run('CREATE TABLE counted (id TEXT PRIMARY KEY)');
      await writer.run("INSERT INTO counted (id) VALUES ('a')");
      const count = async (runner: SqlRunner) =>
        (await runner.get<{ n: number }>('SELECT COUNT(*) AS n FROM counted'))?.n;
      const seen = await reader.snapshot(async (tx) => {
        const before = await count(tx);
        // A write transaction elsewhere goes through at once: the snapshot holds no write lock.
        await writer.transaction((w) => w.run("INSERT INTO counted (id) VALUES ('b')"));
        return [before, await count(tx)];
      });
      expect(seen).toEqual([1, 1]);
      expect(await count(reader)).toBe(2);
      // A transaction's runner reads inside its own transaction.
      expect(await writer.transaction((tx) => tx.snapshot((s) => count(s)))).toBe(2);
    } finally {
      await close();
    }
  });
}

describe('snapshots', () => {
  snapshotCase('SQLite', () => {
    const dir = mkdtempSync(join(tmpdir(), 'provisio-snapshot-'));
    const open = () => {
      const sqlite = openSqlite(join(dir, 'snapshot.db'));
      return { sqlite, runner: new SqliteRunner(sqlite) };
    };
    const a = open();
    const b = open();
    return Promise.resolve({
      reader: a.runner,
      writer: b.runner,
      close: () => {
        a.sqlite.close();
        b.sqlite.close();
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    });
  });
  snapshotCase('PostgreSQL', async () => {
    const url = await freshPostgresDatabase({ empty: true });
    const reader = PostgresRunner.open(url, { poolSize: 1 });
    const writer = PostgresRunner.open(url, { poolSize: 1 });
    return { reader, writer, close: async () => void (await Promise.all([reader.close(), writer.close()])) };
  });
});

describe('PostgreSQL statements', () => {
  it('are prepared under a name from their second use, and no more than 500 of them per connection', async () => {
    const runner = PostgresRunner.open(await freshPostgresDatabase({ empty: true }), { poolSize: 1 });
    const prepared = async () =>
      (await runner.get<{ n: number }>('SELECT count(*)::bigint AS n FROM pg_prepared_statements'))?.n;
    try {
      // Texts used once, as a filter built from a request makes them: none is kept.
      for (let k = 0; k < 700; k += 1)
        expect(await runner.get(`SELECT ? AS a, ${k} AS k`, [k])).toEqual({ a: String(k), k });
      expect(await prepared()).toBe(0);
      // Texts used again are named until 500 are; the rest still run, unnamed.
      for (let round = 0; round < 2; round += 1)
        for (let k = 0; k < 700; k += 1)
          expect(await runner.get(`SELECT ? AS a, ${k} AS k`, [k])).toEqual({ a: String(k), k });
      expect(await prepared()).toBe(500);
    } finally {
      await runner.close();
    }
  });
});

describe('placeholders for PostgreSQL', () => {
  it('numbers each ? outside string literals, quoted names and comments', () => {
    expect(
      toPostgresPlaceholders(`SELECT '?' AS "a?", x FROM t WHERE a = ? AND b IN (?, ?) -- why?\nAND c = ?`),
    ).toBe(`SELECT '?' AS "a?", x FROM t WHERE a = $1 AND b IN ($2, $3) -- why?\nAND c = $4`);
  });
});
