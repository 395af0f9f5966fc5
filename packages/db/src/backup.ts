import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SecretBox } from './secret-box';

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
    quickCheck(copy, 'The copy of the database');
    // The copy keeps no write-ahead log of its own: one file is the whole backup.
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

export interface RestoreResult {
  /** Where the files the backup replaced were moved (null when the data folder had none). */
  replacedInto: string | null;
  restoredFiles: string[];
}

/**
 * Puts a backup made by `backupData` in place of the data folder's database and key. Refuses, with
 * nothing changed, when a process still has the database open, when the backup is damaged, or when
 * the key Provisio will use does not decrypt the backup's saved credentials. The files it replaces
 * are moved into `replaced-<stamp>` in the data folder, not deleted.
 *
 * @param secretKeyFromEnvironment `PROVISIO_SECRET_KEY`'s value when set: the key Provisio will use,
 *   whatever the backup holds.
 */
export function restoreData(options: {
  database: string;
  secretKey: string;
  secretKeyFromEnvironment: string | undefined;
  backup: string;
  /** Names the folder for the replaced files, e.g. `20261203-101500`. */
  stamp: string;
}): RestoreResult {
  const backupDatabase = join(options.backup, BACKUP_FILES.database);
  const backupKey = join(options.backup, BACKUP_FILES.secretKey);
  if (!existsSync(backupDatabase))
    throw new Error(
      `${options.backup} holds no ${BACKUP_FILES.database}: name the folder \`./provisio backup\` wrote.`,
    );
  const fromEnvironment = Boolean(options.secretKeyFromEnvironment);
  if (!fromEnvironment && !existsSync(backupKey))
    throw new Error(
      `${options.backup} holds no ${BACKUP_FILES.secretKey}: give the key it was made with in PROVISIO_SECRET_KEY.`,
    );
  // The key Provisio will use: the environment's when set, else the backup's file.
  const key = SecretBox.load(backupKey, options.secretKeyFromEnvironment);
  checkBackup(
    backupDatabase,
    key,
    fromEnvironment ? 'PROVISIO_SECRET_KEY' : `the backup's ${BACKUP_FILES.secretKey}`,
  );
  const users = processesWithOpen(options.database);
  if (users.length > 0)
    throw new Error(
      `Stop Provisio first: ${users.map((p) => `process ${p.pid} (${p.command})`).join(', ')} has ${options.database} open.`,
    );

  const dataDir = dirname(options.database);
  mkdirSync(dataDir, { recursive: true });
  const current = [
    options.database,
    `${options.database}-wal`,
    `${options.database}-shm`,
    ...(fromEnvironment ? [] : [options.secretKey]),
  ].filter((f) => existsSync(f));
  let replacedInto: string | null = null;
  if (current.length > 0) {
    replacedInto = join(dataDir, `replaced-${options.stamp}`);
    if (existsSync(replacedInto))
      throw new Error(`${replacedInto} already exists: restore again in a moment.`);
    mkdirSync(replacedInto);
    for (const file of current) renameSync(file, join(replacedInto, basename(file)));
  }
  copyFileSync(backupDatabase, options.database);
  const restoredFiles = [options.database];
  if (!fromEnvironment) {
    copyFileSync(backupKey, options.secretKey);
    chmodSync(options.secretKey, 0o600);
    restoredFiles.push(options.secretKey);
  }
  return { replacedInto, restoredFiles };
}

/** The backup is whole, and `key` opens the credentials saved in it. */
function checkBackup(file: string, key: SecretBox, keyName: string): void {
  const copy = new Database(file, { readonly: true, fileMustExist: true });
  try {
    quickCheck(copy, "The backup's database");
    const sealed = copy
      .prepare('SELECT secrets_sealed FROM provisioning_jobs WHERE secrets_sealed IS NOT NULL LIMIT 1')
      .pluck()
      .get() as string | undefined;
    if (sealed === undefined) return;
    try {
      key.open(sealed);
    } catch {
      throw new Error(
        `${keyName} does not decrypt the credentials saved in the backup: it is the key of another installation. Restore with the key the backup was made with.`,
      );
    }
  } finally {
    copy.close();
  }
}

/** The processes (Linux: their open files in /proc) that have `file` open; none where /proc is absent. */
function processesWithOpen(file: string): { pid: number; command: string }[] {
  const target = resolve(file);
  if (!existsSync('/proc/self/fd')) return [];
  const found: { pid: number; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // gone, or another user's
    }
    const open = fds.some((fd) => {
      try {
        return readlinkSync(`/proc/${entry}/fd/${fd}`) === target;
      } catch {
        return false;
      }
    });
    if (!open) continue;
    let command = '?';
    try {
      command = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
        .split('\0')
        .filter(Boolean)
        .slice(0, 3)
        .join(' ');
    } catch {
      // gone meanwhile
    }
    found.push({ pid: Number(entry), command });
  }
  return found;
}

/** SQLite's own check of a database file's structure; throws what it found wrong. */
function quickCheck(db: Database.Database, what: string): void {
  const problems = db.pragma('quick_check', { simple: false }) as { quick_check: string }[];
  const found = problems.map((p) => p.quick_check).filter((p) => p !== 'ok');
  if (found.length > 0) throw new Error(`${what} is damaged: ${found.join('; ')}.`);
}
