import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** The files of a backup, named as in a data directory, so that restoring is copying them back. */
export const BACKUP_FILES = { database: 'provisio.db', secretKey: 'secret.key' } as const;

export interface BackupProgress {
  copiedPages: number;
  totalPages: number;
  /** The copy started over: another process wrote to the database while it was read. */
  restarted: boolean;
}

export interface BackupResult {
  directory: string;
  databaseBytes: number;
  /** false when the key came from `PROVISIO_SECRET_KEY` and has no file to copy. */
  secretKeyCopied: boolean;
}

/** Steps of a copy: enough to show progress, few enough that each one reads many pages. */
const STEPS = 20;

/**
 * A consistent copy of an installation's data while the API and workers go on using it: the
 * database through SQLite's online backup, and the secret key that decrypts the secrets it holds.
 *
 * The online backup copies the database's pages as they are. `VACUUM INTO` would write a smaller
 * file, but it may renumber the rows of tables without an integer primary key, which the directory's
 * search index refers to by row number. A write by another process during the copy restarts it;
 * after a restart the rest is copied in one step, which holds a read snapshot for its length and
 * so cannot be restarted again (in WAL mode writers are not held up by it).
 *
 * The copy is checked (`PRAGMA quick_check`) before the call returns. `destination` must not exist:
 * a backup never overwrites another. On failure nothing is left behind.
 */
export async function backupData(options: {
  database: string;
  secretKey: string;
  /** A key given in the environment: nothing to copy, the caller says where it must be kept. */
  secretKeyFromEnvironment: boolean;
  destination: string;
  onProgress?: (progress: BackupProgress) => void;
}): Promise<BackupResult> {
  const { destination } = options;
  if (!existsSync(options.database))
    throw new Error(
      `There is no Provisio database at ${options.database}: nothing to back up (PROVISIO_DATA_DIR names the data folder Provisio runs with).`,
    );
  if (!options.secretKeyFromEnvironment && !existsSync(options.secretKey))
    throw new Error(
      `There is no secret key at ${options.secretKey}: without it the database's secrets cannot be read. Give the key in PROVISIO_SECRET_KEY if it is kept elsewhere.`,
    );
  if (existsSync(destination))
    throw new Error(`${destination} already exists: choose a new folder for the backup.`);
  mkdirSync(destination, { recursive: true });
  const database = join(destination, BACKUP_FILES.database);
  const source = new Database(options.database, { readonly: true, fileMustExist: true });
  try {
    let lastRemaining = Infinity;
    let restarted = false;
    await source.backup(database, {
      progress: ({ totalPages, remainingPages }) => {
        // A step that went on copied pages; one that started over has as many left as before, or more.
        if (remainingPages >= lastRemaining) restarted = true;
        lastRemaining = remainingPages;
        options.onProgress?.({ copiedPages: totalPages - remainingPages, totalPages, restarted });
        return restarted ? totalPages : Math.max(100, Math.ceil(totalPages / STEPS));
      },
    });
    checkCopy(database);
    let secretKeyCopied = false;
    if (!options.secretKeyFromEnvironment) {
      const key = join(destination, BACKUP_FILES.secretKey);
      copyFileSync(options.secretKey, key);
      chmodSync(key, 0o600);
      secretKeyCopied = true;
    }
    return { directory: destination, databaseBytes: statSync(database).size, secretKeyCopied };
  } catch (error) {
    rmSync(destination, { recursive: true, force: true });
    throw error;
  } finally {
    source.close();
  }
}

/** Opens the copy on its own and lets SQLite check it. */
function checkCopy(file: string): void {
  const copy = new Database(file, { fileMustExist: true });
  try {
    const problems = copy.pragma('quick_check', { simple: false }) as { quick_check: string }[];
    const found = problems.map((p) => p.quick_check).filter((p) => p !== 'ok');
    if (found.length > 0) throw new Error(`The copy of the database is damaged: ${found.join('; ')}.`);
    // The copy keeps no write-ahead log of its own: one file is the whole backup.
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}
