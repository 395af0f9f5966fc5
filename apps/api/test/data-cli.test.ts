import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { dataFiles, openProvisioDb, SecretBox } from '@provisio/db';

const apiDir = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'provisio-data-cli-'));
const dataDir = join(dir, 'data');
const files = dataFiles(dataDir);
const open = () =>
  openProvisioDb({ file: files.database, secretBox: SecretBox.load(files.secretKey, undefined) });
// The installation is in use: a connection holds the database open, in WAL mode, while it is copied.
const db = open();
await db.directory.insertUser(
  { userPrincipalName: 'ada@contoso.com', displayName: 'Ada Lovelace' },
  'id-ada',
);
const sp = await db.applications.insertServicePrincipal({ displayName: 'App' });
await db.jobs.insertJob({
  id: 'scim.1',
  servicePrincipalId: sp.id,
  templateId: 'scim',
  schema: { id: 'scim.1', version: '1', directories: [], synchronizationRules: [] },
  intervalSeconds: 60,
});
await db.jobs.setSecrets('scim.1', { BaseAddress: 'https://app.example', SecretToken: 'token-1' });
const monday = join(dir, 'backups', 'monday');

afterAll(async () => {
  if (db.sqlite.open) await db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The program of `./provisio backup` and `./provisio restore`, as the command runs it. */
async function cli(args: string[], env: Record<string, string> = {}) {
  const { PROVISIO_SECRET_KEY: _ignored, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/data-cli.ts', ...args],
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
    const run = await cli(['backup', monday]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe(`Backing up ${files.database} into ${monday}`);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}100% \(\d+ of \d+ pages\)$/));
    expect(lines).toContain(`Backup written and checked: ${monday}`);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}provisio\.db \(\d+\.\d MB\)$/));
    expect(lines).toContain(
      '  secret.key (keep it as safe as a password: it decrypts the saved credentials)',
    );
    expect(lines.at(-1)).toBe(
      `To restore: stop Provisio, then ./provisio restore ${monday} (with PROVISIO_DATA_DIR=${dataDir}).`,
    );
    expect(readdirSync(monday).sort()).toEqual(['provisio.db', 'secret.key']);
  });

  it('with the key in the environment, says to keep it and never prints it', async () => {
    const key = 'c2VjcmV0LWtleS1vZi10aGlydHktdHdvLWJ5dGVzLSE=';
    const run = await cli(['backup', join(dir, 'backups', 'env')], { PROVISIO_SECRET_KEY: key });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'The secret key is given in PROVISIO_SECRET_KEY and was not copied: keep that value with this backup',
    );
    expect(run.stdout + run.stderr).not.toContain(key);
    expect(readdirSync(join(dir, 'backups', 'env'))).toEqual(['provisio.db']);
  });

  it('with PROVISIO_DATABASE_URL set, says the database is PostgreSQL and what backs it up', async () => {
    const run = await cli(['backup', join(dir, 'backups', 'postgres')], {
      PROVISIO_DATABASE_URL: 'postgres://provisio@127.0.0.1:1/provisio',
    });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      'Backup failed: PROVISIO_DATABASE_URL is set: the database is PostgreSQL, which these commands do not copy. Back it up with pg_dump and keep PROVISIO_SECRET_KEY with it (docs/operations.md).',
    );
  });

  it('refuses to overwrite an earlier backup, and says why', async () => {
    const run = await cli(['backup', monday]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      `Backup failed: ${monday} already exists: choose a new folder for the backup.`,
    );
  });
});

describe('./provisio restore', () => {
  it('refuses while Provisio has the database open, and changes nothing', async () => {
    const run = await cli(['restore', monday]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Restore failed: Stop Provisio first: process ${process.pid} (`);
    expect(run.stderr).toContain(`has ${files.database} open.`);
    expect(readdirSync(dataDir).some((f) => f.startsWith('replaced-'))).toBe(false);
  });

  it('refuses a key that does not decrypt the backup, and a folder that holds no backup', async () => {
    await db.close();
    const wrong = await cli(['restore', monday], {
      PROVISIO_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim()).toBe(
      'Restore failed: PROVISIO_SECRET_KEY does not decrypt the credentials saved in the backup: it is the key of another installation. Restore with the key the backup was made with.',
    );
    const empty = await cli(['restore', join(dir, 'backups')]);
    expect(empty.stderr.trim()).toBe(
      `Restore failed: ${join(dir, 'backups')} holds no provisio.db: name the folder \`./provisio backup\` wrote.`,
    );
  });

  it('puts the backup in place, keeps the files it replaced, and the restored data is the backup', async () => {
    const later = open();
    await later.directory.insertUser(
      { userPrincipalName: 'late@contoso.com', displayName: 'Late' },
      'id-late',
    );
    await later.close();

    const run = await cli(['restore', monday]);
    expect(run.code).toBe(0);
    const replaced = readdirSync(dataDir).find((f) => f.startsWith('replaced-'));
    expect(run.stdout.trim().split('\n')).toEqual([
      `Restored from ${monday}, checked:`,
      `  ${files.database}`,
      `  ${files.secretKey}`,
      `The files it replaced are in ${join(dataDir, replaced ?? '?')}.`,
      'Start Provisio again.',
    ]);
    expect(readdirSync(join(dataDir, replaced ?? '?')).sort()).toEqual(['provisio.db', 'secret.key']);

    const restored = open();
    try {
      expect((await restored.directory.findUser('id-ada'))?.displayName).toBe('Ada Lovelace');
      expect(await restored.directory.findUser('id-late')).toBeNull();
      expect((await restored.jobs.getSecrets('scim.1')).SecretToken).toBe('token-1');
    } finally {
      await restored.close();
    }
  });
});
