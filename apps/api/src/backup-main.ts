import { resolve } from 'node:path';
import { backupData, BACKUP_FILES, dataFiles } from '@provisio/db';

/**
 * `./provisio backup [FOLDER]`: a copy of the installation's data (the database and the secret
 * key) taken while Provisio runs, into FOLDER (default `backups/provisio-<UTC time>`), with progress
 * and how to restore it. Reads PROVISIO_DATA_DIR and PROVISIO_SECRET_KEY as the API does.
 */
async function main(): Promise<void> {
  const env = process.env;
  const dataDir = resolve(env.PROVISIO_DATA_DIR?.trim() || './data');
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const destination = resolve(process.argv[2] ?? `backups/provisio-${stamp}`);
  const files = dataFiles(dataDir);
  const fromEnvironment = Boolean(env.PROVISIO_SECRET_KEY);
  console.log(`Backing up ${files.database} into ${destination}`);
  let shown = -1;
  let toldRestart = false;
  let pages = 0;
  const result = await backupData({
    database: files.database,
    secretKey: files.secretKey,
    secretKeyFromEnvironment: fromEnvironment,
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
    `To restore: stop Provisio, put these files into the data folder (${dataDir}) in place of the ones there, and start it again.`,
  );
}

main().catch((error: unknown) => {
  console.error(`Backup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
