import { resolve } from 'node:path';
import {
  backupData,
  BACKUP_FILES,
  dataDirectory,
  dataFiles,
  databaseLocation,
  restoreData,
} from '@provisio/db';

/**
 * `./provisio backup [FOLDER]` and `./provisio restore FOLDER`: the installation's data (the
 * database and the secret key) copied while Provisio runs, and put back while it is stopped. Reads
 * PROVISIO_DATA_DIR and PROVISIO_SECRET_KEY as the API and the worker do.
 */
async function main(argv: string[]): Promise<void> {
  const dataDir = dataDirectory(process.env);
  const files = dataFiles(dataDir);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const [command, folder] = argv;
  if ('url' in databaseLocation(process.env, dataDir))
    throw new Error(
      'PROVISIO_DATABASE_URL is set: the database is PostgreSQL, which these commands do not copy. Back it up with pg_dump and keep PROVISIO_SECRET_KEY with it (docs/operations.md).',
    );
  if (command === 'backup') await backup(files, resolve(folder ?? `backups/provisio-${stamp}`), dataDir);
  else if (command === 'restore' && folder) restore(files, resolve(folder), stamp);
  else throw new Error('usage: ./provisio backup [FOLDER] | ./provisio restore FOLDER');
}

async function backup(files: ReturnType<typeof dataFiles>, destination: string, dataDir: string) {
  console.log(`Backing up ${files.database} into ${destination}`);
  let shown = -1;
  let toldRestart = false;
  let pages = 0;
  const result = await backupData({
    ...files,
    secretKeyFromEnvironment: Boolean(process.env.PROVISIO_SECRET_KEY),
    destination,
    onProgress: ({ copiedPages, totalPages, restarted }) => {
      pages = totalPages;
      const percent = totalPages === 0 ? 100 : Math.floor((100 * copiedPages) / totalPages);
      if (restarted && !toldRestart) {
        toldRestart = true;
        console.log('  Provisio wrote to the database meanwhile: copying it again, in one step');
      }
      if (percent >= shown + 10) {
        shown = percent;
        console.log(`  ${percent}% (${copiedPages} of ${totalPages} pages)`);
      }
    },
  });
  // The last step ends the copy without a report of its own.
  console.log(`  100% (${pages} of ${pages} pages)`);
  const megabytes = (result.databaseBytes / 1024 / 1024).toFixed(1);
  console.log(`Backup written and checked: ${result.directory}`);
  console.log(`  ${BACKUP_FILES.database} (${megabytes} MB)`);
  if (result.secretKeyCopied)
    console.log(
      `  ${BACKUP_FILES.secretKey} (keep it as safe as a password: it decrypts the saved credentials)`,
    );
  else
    console.log(
      '  The secret key is given in PROVISIO_SECRET_KEY and was not copied: keep that value with this backup, the credentials in it cannot be read without it.',
    );
  console.log(
    `To restore: stop Provisio, then ./provisio restore ${result.directory} (with PROVISIO_DATA_DIR=${dataDir}).`,
  );
}

function restore(files: ReturnType<typeof dataFiles>, folder: string, stamp: string) {
  const result = restoreData({
    ...files,
    secretKeyFromEnvironment: process.env.PROVISIO_SECRET_KEY,
    backup: folder,
    stamp,
  });
  console.log(`Restored from ${folder}, checked:`);
  for (const file of result.restoredFiles) console.log(`  ${file}`);
  if (result.replacedInto) console.log(`The files it replaced are in ${result.replacedInto}.`);
  console.log('Start Provisio again.');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const action = process.argv[2] === 'restore' ? 'Restore' : 'Backup';
  console.error(`${action} failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
