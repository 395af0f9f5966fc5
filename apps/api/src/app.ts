import type { Mailer } from '@provisio/mailer';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DEFAULT_DELETED_USER_DAYS, DEFAULT_LOG_RETENTION_DAYS, errorBodySchema } from '@provisio/contracts';
import type { ProvisioDb } from '@provisio/db';
import { DEFAULT_TARGET_POLICY } from '@provisio/scim-client';
import Fastify, { type FastifyInstance } from 'fastify';
import { DEFAULT_CYCLE_INTERVAL_SECONDS } from './config';
import { registerAccess } from './plugins/access';
import { notFound, registerErrorHandling } from './plugins/error-handler';
import { validatorCompiler } from './plugins/validation';
import { accountRoutes, authRoutes, SESSION_COOKIE, tokenRoutes } from './routes/auth';
import { applicationTemplateRoutes } from './routes/application-templates';
import { applicationRoutes } from './routes/applications';
import { bulkOperationRoutes } from './routes/bulk-operations';
import { directoryRoutes } from './routes/directory';
import { directoryDeltaRoutes } from './routes/directory-delta';
import { healthRoutes } from './routes/health';
import { logRoutes } from './routes/logs';
import { synchronizationRoutes } from './routes/synchronization';
import { createServices, type Services } from './services';
import type { LogRetentionDays, TargetAccess } from './services/context';
import { ON_DEMAND_TIMEOUT_MS } from './services/on-demand-service';

export interface BuildAppOptions {
  db: ProvisioDb;
  /** The data directory (kept for routes that need files beside the database). */
  dataDir?: string;
  /** The built portal to serve at `/`; null or missing directory = API only. */
  webDist?: string | null;
  logger?: boolean;
  now?: () => Date;
  /** Session lifetime from sign-in (PROVISIO_SESSION_MAX_HOURS); 12 hours by default. */
  sessionTtlMs?: number;
  /** A session unused this long ends (PROVISIO_SESSION_IDLE_MINUTES); 60 minutes by default. */
  sessionIdleMs?: number;
  /** The portal's address when served through a proxy (PROVISIO_PORTAL_URL): writes from its origin are the portal's too, and paging links use it. */
  publicOrigin?: string | null;
  /** Send the session cookie with `Secure` (behind HTTPS). */
  cookieSecure?: boolean;
  /** Seconds between incremental cycles of new provisioning jobs (PROVISIO_CYCLE_INTERVAL_SECONDS); 2400 by default. */
  cycleIntervalSeconds?: number;
  /** How long provisionOnDemand waits for a worker's answer (30 s by default) and how often it looks. */
  onDemandTimeoutMs?: number;
  onDemandPollMs?: number;
  /** The mail server (PROVISIO_SMTP_URL), for the test email; null: mail is not configured. */
  mailer?: Mailer | null;
  /** The Tenant URL policy (PROVISIO_TARGET_ALLOW; public https and loopback by default); tests also pass a lookup and a connector. */
  targets?: TargetAccess;
  /** Days the worker keeps each log (PROVISIO_PROVISIONING_LOG_DAYS, PROVISIO_AUDIT_LOG_DAYS), as the log summary reports them; 30 each by default. */
  logRetention?: LogRetentionDays;
  /** Days a deleted user can be restored (PROVISIO_DELETED_USER_DAYS); 30 by default, as in Entra. */
  deletedUserDays?: number;
}

export type ProvisioApp = FastifyInstance & { services: Services };

const DEFAULT_SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const DEFAULT_SESSION_IDLE_MS = 60 * 60 * 1000;

/** The portal is a single-page app built with Fluent UI, whose styles are injected at run time. */
const PORTAL_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/**
 * Builds the Provisio API as a Fastify instance that is not listening yet:
 * the process entry (`server.ts`) listens, tests call `app.inject`.
 *
 * @example const app = await buildApp({ db }); const res = await app.inject({ url: '/api/auth/me' });
 */
export async function buildApp(options: BuildAppOptions): Promise<ProvisioApp> {
  const now = options.now ?? (() => new Date());
  // Without a data directory (PostgreSQL), uploads wait in a directory of the process's own,
  // removed when the app closes.
  const spoolDir = options.dataDir
    ? join(options.dataDir, 'bulk')
    : mkdtempSync(join(tmpdir(), 'provisio-bulk-'));
  const services = await createServices(
    {
      db: options.db,
      now,
      cycleIntervalSeconds: options.cycleIntervalSeconds ?? DEFAULT_CYCLE_INTERVAL_SECONDS,
      mailer: options.mailer ?? null,
      targets: options.targets ?? { policy: DEFAULT_TARGET_POLICY },
      logRetention: options.logRetention ?? {
        provisioningDays: DEFAULT_LOG_RETENTION_DAYS,
        auditDays: DEFAULT_LOG_RETENTION_DAYS,
      },
      deletedUserDays: options.deletedUserDays ?? DEFAULT_DELETED_USER_DAYS,
    },
    {
      session: {
        maxMs: options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS,
        idleMs: options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS,
      },
      onDemand: {
        timeoutMs: options.onDemandTimeoutMs ?? ON_DEMAND_TIMEOUT_MS,
        pollMs: options.onDemandPollMs ?? 200,
      },
      // Uploaded CSV files wait beside the database while their bulk operation runs.
      bulk: {
        spoolDir,
      },
    },
  );
  const app = Fastify({
    logger: options.logger ?? false,
    genReqId: () => randomUUID(),
    // Query strings like `$filter=…` can be long; ids in paths never are.
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  registerErrorHandling(app);
  // A root hook runs after the route plugins' own, so the bulk operations have stopped by then.
  if (!options.dataDir)
    app.addHook('onClose', async () => rmSync(spoolDir, { recursive: true, force: true }));
  app.addSchema(errorBodySchema);
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Provisio API',
        version: '0.1.0',
        description:
          'Directory, enterprise applications, provisioning jobs and logs, shaped after Microsoft Graph. Scripts send an API token (Authorization: Bearer …); the portal signs in with POST /api/auth/sign-in and its session cookie.',
      },
      components: {
        securitySchemes: {
          token: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
      security: [{ token: [] }, { session: [] }],
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
  });

  registerAccess(app, {
    services,
    sessionCookie: SESSION_COOKIE,
    publicOrigin: options.publicOrigin ?? null,
  });
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'no-referrer');
    void reply.header('x-frame-options', 'DENY');
    if (request.url.startsWith('/api/')) void reply.header('cache-control', 'no-store');
    else void reply.header('content-security-policy', PORTAL_CSP);
  });

  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  await app.register(authRoutes, {
    prefix: '/api/auth',
    services,
    cookieSecure: options.cookieSecure ?? false,
  });
  await app.register(accountRoutes, { prefix: '/api', services });
  await app.register(tokenRoutes, { prefix: '/api', services });
  await app.register(directoryRoutes, { prefix: '/api/v1.0', services });
  await app.register(directoryDeltaRoutes, { prefix: '/api/v1.0', services });
  await app.register(bulkOperationRoutes, { prefix: '/api/v1.0', services });
  await app.register(applicationRoutes, { prefix: '/api/v1.0', services });
  await app.register(applicationTemplateRoutes, { prefix: '/api/v1.0', services });
  await app.register(synchronizationRoutes, { prefix: '/api/v1.0', services });
  await app.register(logRoutes, { prefix: '/api/v1.0', services });
  await app.register(healthRoutes, { prefix: '/api/v1.0', services });

  const webDist = options.webDist && existsSync(options.webDist) ? options.webDist : null;
  if (webDist) {
    await app.register(fastifyStatic, {
      root: webDist,
      index: 'index.html',
      // Built assets carry a content hash in their names; index.html must always be revalidated.
      setHeaders: (reply, filePath) => {
        void reply.header(
          'cache-control',
          filePath.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
        );
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const lastSegment = path.split('/').pop() ?? '';
    const isPortalPage =
      webDist !== null &&
      (request.method === 'GET' || request.method === 'HEAD') &&
      !path.startsWith('/api/') &&
      path !== '/api' &&
      !lastSegment.includes('.');
    if (isPortalPage) {
      // The portal routes in the browser: every page address serves the same index.html.
      return reply
        .header('cache-control', 'no-cache')
        .type('text/html; charset=utf-8')
        .sendFile('index.html');
    }
    return notFound(request, reply);
  });

  return Object.assign(app as unknown as FastifyInstance, { services });
}
