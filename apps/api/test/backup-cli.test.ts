import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { dataFiles, openProvisioDb, SecretBox } from '@provisio/db';

const apiDir = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'provisio-backup-cli-'));
const dataDir = join(dir, 'data');
const files = dataFiles(dataDir);
// The installation is in use: a connection holds the database open, in WAL mode, while it is copied.
const db = openProvisioDb({ file: files.database, secretBox: SecretBox.load(files.secretKey, undefined) });
db.directory.insertUser({ userPrincipalName: 'ada@contoso.com', displayName: 'Ada Lovelace' }, 'id-ada');

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `./provisio backup`'s program, as the command runs it. */
async function backup(args: string[], env: Record<string, string> = {}) {
  const { PROVISIO_SECRET_KEY: _ignored, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/backup-main.ts', ...args],
      { cwd: apiDir, env: { ...inherited, PROVISIO_DATA_DIR: dataDir, ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('./provisio backup', () => {
  it('copies the database and the key while in use, shows progress, and says how to restore', async () => {
    const destination = join(dir, 'backups', 'monday');
    const run = await backup([destination]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe(`Backing up ${files.database} into ${destination}`);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}100% \(\d+ of \d+ pages\)$/));
    expect(lines).toContain(`Backup written and checked: ${destination}`);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}provisio\.db \(\d+\.\d MB\)$/));
    expect(lines).toContain(
      '  secret.key (keep it as safe as a password: it decrypts the saved credentials)',
    );
    expect(lines.at(-1)).toBe(
      `To restore: stop Provisio, put these files into the data folder (${dataDir}) in place of the ones there, and start it again.`,
    );
    expect(readdirSync(destination).sort()).toEqual(['provisio.db', 'secret.key']);
  });

  it('with the key in the environment, says to keep it and never prints it', async () => {
    const key = 'c2VjcmV0LWtleS1vZi10aGlydHktdHdvLWJ5dGVzLSE=';
    const run = await backup([join(dir, 'backups', 'env')], { PROVISIO_SECRET_KEY: key });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'The secret key is given in PROVISIO_SECRET_KEY and was not copied: keep that value with this backup',
    );
    expect(run.stdout + run.stderr).not.toContain(key);
    expect(readdirSync(join(dir, 'backups', 'env'))).toEqual(['provisio.db']);
  });

  it('refuses to overwrite an earlier backup, and says why', async () => {
    const destination = join(dir, 'backups', 'monday');
    const run = await backup([destination]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      `Backup failed: ${destination} already exists: choose a new folder for the backup.`,
    );
  });
});
