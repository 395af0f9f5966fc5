import { statSync } from 'node:fs';
import { dataFiles } from '@provisio/db';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointThread } from '../src/checkpoint-thread';
import { sqliteOf, tempDataDir, type TestData } from './harness';

// On SQLite whatever the run's database: the thread checkpoints SQLite's write-ahead log, which PostgreSQL has not.
describe('the checkpoint thread', () => {
  let data: TestData | null = null;
  afterEach(() => data?.cleanup());

  it('copies the write-ahead log into the database file while the process goes on writing, then stops when closed', async () => {
    data = await tempDataDir('sqlite');
    const sqlite = sqliteOf(data.db);
    const files = dataFiles(data.dir);
    // The process's own commits never checkpoint here: only the thread does.
    sqlite.pragma('wal_autocheckpoint = 0');
    sqlite.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
    const insert = sqlite.prepare('INSERT INTO filler (text) VALUES (?)');
    const fill = () =>
      sqlite.transaction(() => Array.from({ length: 500 }, () => insert.run('x'.repeat(500))))();
    fill();
    const before = statSync(files.database).size;
    const lines: string[] = [];
    const thread = new CheckpointThread({ databaseFile: files.database, intervalMs: 10 }, (l) =>
      lines.push(l),
    );
    try {
      const deadline = Date.now() + 10_000;
      while (statSync(files.database).size <= before + 200_000 && Date.now() < deadline) {
        fill();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // 250 KB of rows reached the database file: the thread checkpointed them.
      expect(statSync(files.database).size).toBeGreaterThan(before + 200_000);
    } finally {
      await thread.close();
    }
    expect(lines).toEqual([]);
    // Once closed, nothing copies the log any more.
    fill();
    const after = statSync(files.database).size;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(statSync(files.database).size).toBe(after);
    expect((sqlite.prepare('SELECT COUNT(*) AS n FROM filler').get() as { n: number }).n).toBeGreaterThan(
      500,
    );
  });
});
