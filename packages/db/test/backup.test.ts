// SQLite only: backup and restore copy an SQLite file (online backup API, WAL) and its key.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  backupData,
  openProvisioDb,
  SecretBox,
  type BackupProgress,
  type SqliteProvisioDb,
} from '../src/index';

describe('backupData', () => {
  let dir: string;
  let db: SqliteProvisioDb;
  let box: SecretBox;
  let files: { database: string; secretKey: string };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'provisio-backup-'));
    files = { database: join(dir, 'data', 'provisio.db'), secretKey: join(dir, 'data', 'secret.key') };
    box = SecretBox.load(files.secretKey, undefined);
    db = openProvisioDb({ file: files.database, secretBox: box });
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Users with gaps in their row numbers (some deleted), so that a copy that renumbered rows would show. */
  async function seedDirectory(): Promise<void> {
    await db.transaction(async (tx) => {
      for (let i = 0; i < 3000; i += 1)
        await tx.directory.insertUser(
          { userPrincipalName: `u${i}@contoso.com`, displayName: `User ${i}` },
          `id-${i}`,
        );
    });
    db.sqlite.prepare("DELETE FROM directory_users WHERE id LIKE 'id-1%'").run();
    await db.directory.insertUser(
      { userPrincipalName: 'ada@contoso.com', displayName: 'Ada Lovelace' },
      'id-ada',
    );
  }

  it('copies a database in use and its key: the copy opens, its secrets decrypt, its search index finds users', async () => {
    await seedDirectory();
    const sealed = box.seal({ SecretToken: 'token-1' });
    const destination = join(dir, 'backups', 'first');
    // Another connection writes while the copy is read, as a running worker would.
    const writer = openProvisioDb({ file: files.database, secretBox: box });
    let written = 0;
    let writing: Promise<unknown> = Promise.resolve();
    const seen: BackupProgress[] = [];
    const result = await backupData({
      ...files,
      secretKeyFromEnvironment: false,
      destination,
      onProgress: (p) => {
        seen.push(p);
        if (seen.length === 2) {
          // Its statements run before the copy's next step (on SQLite, under the promise).
          writing = writer.directory.insertUser(
            { userPrincipalName: 'late@contoso.com', displayName: 'Late' },
            'id-late',
          );
          written += 1;
        }
      },
    });
    await writing;
    await writer.close();

    expect(written).toBe(1);
    expect(seen.some((p) => p.restarted)).toBe(true);
    expect(seen[0]?.totalPages).toBeGreaterThan(100);
    expect(readdirSync(destination).sort()).toEqual(['provisio.db', 'secret.key']);
    expect(statSync(join(destination, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(result).toEqual({
      directory: destination,
      databaseBytes: statSync(join(destination, 'provisio.db')).size,
      secretKeyCopied: true,
    });

    const copiedKey = SecretBox.load(join(destination, 'secret.key'), undefined);
    const copy = openProvisioDb({ file: join(destination, 'provisio.db'), secretBox: copiedKey });
    try {
      expect(copiedKey.open<{ SecretToken: string }>(sealed)).toEqual({ SecretToken: 'token-1' });
      const found = await copy.directoryQueries.queryUsers({
        top: 10,
        search: { text: 'lovelace', properties: ['displayName'] },
      });
      expect(found.items.map((u) => u.id)).toEqual(['id-ada']);
      // The copy is a snapshot taken after the other connection's write.
      expect(
        (
          await copy.directoryQueries.queryUsers({
            top: 10,
            search: { text: 'late@', properties: ['userPrincipalName'] },
          })
        ).items.map((u) => u.id),
      ).toEqual(['id-late']);
    } finally {
      await copy.close();
    }
  });

  it('leaves the key out when it comes from the environment, and says so', async () => {
    const result = await backupData({
      ...files,
      secretKeyFromEnvironment: true,
      destination: join(dir, 'env-key'),
    });
    expect(result.secretKeyCopied).toBe(false);
    expect(readdirSync(join(dir, 'env-key'))).toEqual(['provisio.db']);
  });

  it('refuses a folder that exists, a missing database or key, and leaves nothing behind', async () => {
    const taken = join(dir, 'taken');
    await backupData({ ...files, secretKeyFromEnvironment: false, destination: taken });
    writeFileSync(join(taken, 'note.txt'), 'mine');
    await expect(
      backupData({ ...files, secretKeyFromEnvironment: false, destination: taken }),
    ).rejects.toThrow(`${taken} already exists: choose a new folder for the backup.`);
    expect(readdirSync(taken).sort()).toEqual(['note.txt', 'provisio.db', 'secret.key']);

    const nowhere = join(dir, 'none', 'provisio.db');
    await expect(
      backupData({
        database: nowhere,
        secretKey: files.secretKey,
        secretKeyFromEnvironment: false,
        destination: join(dir, 'b2'),
      }),
    ).rejects.toThrow(
      `There is no Provisio database at ${nowhere}: nothing to back up (PROVISIO_DATA_DIR names the data folder Provisio runs with).`,
    );
    await expect(
      backupData({
        ...files,
        secretKey: join(dir, 'no.key'),
        secretKeyFromEnvironment: false,
        destination: join(dir, 'b3'),
      }),
    ).rejects.toThrow(
      /There is no secret key at .*no\.key: without it the database's secrets cannot be read/,
    );
    expect(existsSync(join(dir, 'b2'))).toBe(false);
    expect(existsSync(join(dir, 'b3'))).toBe(false);
  });
});
