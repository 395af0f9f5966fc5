import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openProvisioDb, SecretBox, type SqliteProvisioDb } from '../src/index';

/** A fresh database file in its own temp folder, removed by `cleanup`. */
export function tempDb(): { db: SqliteProvisioDb; dir: string; cleanup: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'provisio-db-'));
  const db = openProvisioDb({
    file: join(dir, 'provisio.db'),
    secretBox: SecretBox.fromKey(randomBytes(32)),
  });
  return {
    db,
    dir,
    cleanup: async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
