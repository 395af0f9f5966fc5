// The worker process: configuration from the environment, open the database, loop over due jobs,
// stop cleanly on SIGINT/SIGTERM (objects in flight finish, the lease is released, exit 0).
import { setFlagsFromString } from 'node:v8';
import { dataFiles, openDatabase, SecretBox } from '@provisio/db';
import { CheckpointThread } from './checkpoint-thread';
import { CommitThread } from './commit-thread';
import { readWorkerConfig } from './config';
import { createMailer } from '@provisio/mailer';
import { DeletedUserPurge } from './deleted-user-purge';
import { LogRetention } from './log-retention';
import { ProvisioningWorker } from './worker';

/**
 * How far V8 lets the old generation grow past what survived its last full collection before it
 * collects again. A cycle makes much garbage that lives just long enough to be promoted (objects in
 * flight, chunks read ahead) and keeps about 40 MB; V8's default for a large machine lets the heap
 * grow to four times that. At 1.5 times, the bench's initial cycles peaked some 90 MB lower and
 * spent less CPU, not more (a smaller heap stays in the caches; a full collection of 40 MB is cheap).
 * The flag is read each time V8 sets the next limit, so setting it here, before any cycle, holds.
 */
const HEAP_GROWING_PERCENT = 50;

async function main(): Promise<void> {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  // With source maps on (`pnpm start` runs with --enable-source-maps), the first error's stack parses
  // the bundle's map, about 60 ms: at start, rather than inside the first cycle that meets an error
  // (a kept-alive connection the application closed is one), which it made 60 ms longer.
  if (process.sourceMapsEnabled) void new Error('source map').stack;
  const config = readWorkerConfig(process.env);
  const files = dataFiles(config.dataDir);
  const secretBox = SecretBox.load(files.secretKey);
  // SQLite: a cycle writes an event and a connector record per object; the checkpoint thread copies
  // the write-ahead log into the database a few times a second, so that the commit that finds it past
  // this many pages (40 MB) and checkpoints it has little left to copy. PostgreSQL looks after its own.
  const walAutocheckpointPages = 10_000;
  const sqliteFile = 'file' in config.database ? config.database.file : null;
  const db = await openDatabase(
    sqliteFile ? { file: sqliteFile, walAutocheckpointPages } : config.database,
    secretBox,
  );
  const checkpoints = sqliteFile
    ? new CheckpointThread({ databaseFile: sqliteFile, intervalMs: 200 }, (line) =>
        console.error(`${new Date().toISOString()} ${line}`),
      )
    : null;
  // Cycles' writes committed on a thread of their own, beside the requests, when so configured (SQLite).
  const commits =
    config.commitThread && sqliteFile
      ? new CommitThread({ databaseFile: sqliteFile, secretKeyFile: files.secretKey, walAutocheckpointPages })
      : null;
  const mailer = config.smtp ? createMailer(config.smtp) : null;
  const worker = new ProvisioningWorker({
    db,
    workerId: config.workerId,
    pollMs: config.pollMs,
    leaseMs: config.leaseMs,
    concurrency: config.concurrency,
    jobsAtOnce: config.jobsAtOnce,
    defaults: config.defaults,
    ...(mailer ? { notify: (to: string[], n: Parameters<typeof mailer.send>[1]) => mailer.send(to, n) } : {}),
    portalUrl: config.portalUrl,
    targets: { policy: config.targetPolicy },
    ...(commits ? { writer: () => commits.writer() } : {}),
  });

  // Old events go in the background, a small batch at a time, while cycles run.
  const retention = new LogRetention(
    db,
    config.retention,
    () => new Date(),
    (line) => console.log(`${new Date().toISOString()} ${line}`),
  );
  retention.start();
  // Users whose days in Deleted users ran out are deleted for good, a small batch at a time.
  const purge = new DeletedUserPurge(
    db,
    config.deletedUsers,
    () => new Date(),
    (line) => console.log(`${new Date().toISOString()} ${line}`),
  );
  purge.start();

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      console.error(`worker: ${signal} again, exiting now`);
      process.exit(1);
    }
    stopping = true;
    console.log(`worker ${config.workerId}: ${signal} received, stopping after the objects in flight`);
    void worker.stop();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const { hosts, ranges } = config.targetPolicy;
  const allowed = [...hosts, ...ranges.map((r) => r.text)].join(',');

  console.log(
    `worker ready id=${config.workerId} dataDir=${config.dataDir} database=${sqliteFile ? 'sqlite' : 'postgres'} pollMs=${config.pollMs} leaseMs=${config.leaseMs} concurrency=${config.concurrency} jobs=${config.jobsAtOnce} commitThread=${config.commitThread ? 'on' : 'off'} mail=${config.smtp ? 'on' : 'off'} targetAllow=${allowed || 'loopback'} logDays=${config.retention.provisioningDays}/${config.retention.auditDays} deletedUserDays=${config.deletedUsers.days}`,
  );
  await worker.run();
  await retention.stop();
  await purge.stop();
  await commits?.close();
  await checkpoints?.close();
  mailer?.close();
  await db.close();
  console.log(`worker ${config.workerId} stopped`);
  // Keep-alive sockets to targets would hold the event loop open for a while; nothing is left to do.
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error('worker failed:', error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
