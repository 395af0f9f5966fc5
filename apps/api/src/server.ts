import { createMailer } from '@provisio/mailer';
import { dataFiles, openDatabase, SecretBox } from '@provisio/db';
import { buildApp } from './app';
import { ensureAdminAccount } from './auth/accounts';
import { ConfigError, readConfig } from './config';
import { isDirectoryEmpty, seedDemo } from './seed/demo';

/**
 * The API process: reads its configuration from the environment, opens the
 * database (PostgreSQL when PROVISIO_DATABASE_URL is set, else SQLite in the data directory), creates the first Administrator, seeds the
 * demo directory when asked, listens, and shuts down cleanly on SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  const config = readConfig();
  const db = await openDatabase(config.database, SecretBox.load(dataFiles(config.dataDir).secretKey));

  const generated = await ensureAdminAccount(db, {
    userName: config.adminUser,
    password: config.adminPassword,
  });
  if (generated) {
    // One line, `password: <value>`, which the launcher picks up to show in its summary.
    console.log(`Created the Administrator account ${config.adminUser} with password: ${generated}`);
    console.log(
      '(shown only this once; set PROVISIO_ADMIN_PASSWORD before the first start to choose it yourself)',
    );
  }
  if (config.demo && (await isDirectoryEmpty(db))) {
    const summary = await seedDemo(db, { ...config.demo, cycleIntervalSeconds: config.cycleIntervalSeconds });
    console.log(
      `Seeded the demo directory: ${summary.users} users, ${summary.groups} groups, ${summary.applications.length} applications (provisioning is off until you start it).`,
    );
  }

  const app = await buildApp({
    db,
    dataDir: config.dataDir,
    webDist: config.webDist,
    logger: true,
    cookieSecure: config.cookieSecure,
    sessionTtlMs: config.session.maxMs,
    sessionIdleMs: config.session.idleMs,
    publicOrigin: config.publicOrigin,
    cycleIntervalSeconds: config.cycleIntervalSeconds,
    mailer: config.mail ? createMailer(config.mail) : null,
    targets: { policy: config.targetPolicy },
    logRetention: config.logRetention,
    deletedUserDays: config.deletedUserDays,
  });

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    // In-flight requests finish; a stuck one does not hold the process forever.
    const force = setTimeout(() => {
      console.error('Shutdown took longer than 10 s; exiting.');
      process.exit(1);
    }, 10_000);
    force.unref();
    app
      .close()
      .then(() => db.close())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        console.error('Shutdown failed:', error);
        process.exit(1);
      });
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(
    `api ready url=http://${config.host}:${port}/ data=${config.dataDir} database=${'url' in config.database ? 'postgres' : 'sqlite'} portal=${config.webDist ?? 'none'}`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
  } else {
    console.error('The API could not start:', error);
  }
  process.exit(1);
});
