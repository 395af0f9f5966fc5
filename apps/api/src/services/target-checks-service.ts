import { randomBytes, randomUUID } from 'node:crypto';
import type { SynchronizationSchema, TargetCheck, TargetCheckFinding } from '@provisio/contracts';
import type { ProvisioningJobRecord, TargetCheckRecord } from '@provisio/db';
import { findGroupObjectMapping, findUserObjectMapping } from '@provisio/engine';
import { checkTargetUrl, parseTenantUrl, SCHEMA, ScimClient } from '@provisio/scim-client';
import { AppError } from '../errors';
import { recordAudit } from './audit';
import type { RequestContext, ServiceDeps } from './context';
import { checkedTransport, getJobOf, TEST_CONNECTION_TIMEOUT_MS, type JobsService } from './jobs-service';
import { TargetProbes, type TargetCheckPlan } from './target-check-probes';
import { writeTransaction } from './transaction';

/** The check stops starting probes after this; each probe is bounded by Test Connection's timeout. */
const CHECK_BUDGET_MS = 60_000;
/** A check still 'running' after this was cut off (the API stopped while it ran). */
const ABANDONED_AFTER_MS = CHECK_BUDGET_MS + 4 * TEST_CONNECTION_TIMEOUT_MS + 60_000;

export interface TargetChecksOptions {
  /** The whole check's time budget; tests shorten it. */
  budgetMs?: number;
  /** Longest wait for a Retry-After between tries of a probe. */
  maxRetryWaitMs?: number;
}

/** What a job's cycles will ask of the application, from its schema and Tenant URL. */
export function targetCheckPlan(schema: SynchronizationSchema, tenantUrl: string): TargetCheckPlan {
  const byPriority = (mappings: { targetAttributeName: string; matchingPriority: number }[]) =>
    mappings
      .filter((a) => a.matchingPriority > 0)
      .sort((a, b) => a.matchingPriority - b.matchingPriority)
      .map((a) => a.targetAttributeName);
  const user = findUserObjectMapping(schema);
  const group = findGroupObjectMapping(schema);
  const userMappings = user.ok ? user.mapping.attributeMappings : [];
  const enterprise = SCHEMA.enterpriseUser.toLowerCase();
  return {
    userMatching: byPriority(userMappings),
    groupMatching: group ? byPriority(group.attributeMappings) : [],
    groupsMapped: group !== null,
    usesEnterprise: userMappings.some((a) => a.targetAttributeName.toLowerCase().startsWith(enterprise)),
    dialect: parseTenantUrl(tenantUrl).dialect,
  };
}

/**
 * The target conformance check (an addition to Graph): probes the application behind a job's saved
 * Tenant URL and Secret Token with read-only and clearly marked test requests, through the Tenant
 * URL policy Test Connection uses, and keeps the report with the job. It runs in the request that
 * asks for it (seconds against a healthy target; each probe bounded, the whole check budgeted); the
 * row reads 'running' meanwhile, so the portal can show progress and a second request waits its turn.
 */
export class TargetChecksService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly jobs: JobsService,
    private readonly options: TargetChecksOptions = {},
  ) {}

  async run(ctx: RequestContext, servicePrincipalId: string, jobId: string): Promise<TargetCheck> {
    const { db, now } = this.deps;
    const { record, job, secrets } = await writeTransaction(db, async (tx) => {
      const { sp, job } = await getJobOf(tx, servicePrincipalId, jobId);
      await this.jobs.requireTenantUrl(tx, sp, job);
      const latest = await tx.targetChecks.findLatestTargetCheck(job.id);
      if (latest && this.isRunning(latest)) {
        throw new AppError(
          'target_check.running',
          409,
          `A check of ${sp.displayName}'s application is already running (started ${latest.startedAt}). Wait for it: GET …/targetChecks/latest shows it.`,
        );
      }
      const secrets = await tx.jobs.getSecrets(job.id);
      const record = await tx.targetChecks.insertTargetCheck({
        id: randomUUID(),
        jobId: job.id,
        initiatedBy: { id: ctx.actor.id, userName: ctx.actor.userName },
        tenantUrl: secrets.BaseAddress!,
        startedAt: now().toISOString(),
      });
      return { record, job, secrets };
    });
    const started = performance.now();
    let outcome: { findings: TargetCheckFinding[]; requests: number };
    try {
      outcome = await this.probe(job, secrets.BaseAddress!, secrets.SecretToken ?? '');
    } catch (error) {
      // A defect of the check itself: the row must not stay 'running'.
      await db.targetChecks.completeTargetCheck(record.id, {
        status: 'failed',
        findings: [],
        requests: 0,
        durationMs: performance.now() - started,
        completedAt: now().toISOString(),
      });
      throw error;
    }
    return writeTransaction(db, async (tx) => {
      const { sp } = await getJobOf(tx, servicePrincipalId, jobId);
      const done = await tx.targetChecks.completeTargetCheck(record.id, {
        status: 'completed',
        findings: outcome.findings,
        requests: outcome.requests,
        durationMs: performance.now() - started,
        completedAt: now().toISOString(),
      });
      const check = this.toContract(done);
      const { errors, warnings } = check.summary;
      await recordAudit(tx, ctx, now(), {
        category: 'ProvisioningManagement',
        activity: 'Check provisioning target',
        operationType: 'Add',
        targets: [{ id: sp.id, displayName: sp.displayName, type: 'ServicePrincipal' }],
        resultReason: `${errors} error(s), ${warnings} warning(s)`,
        additionalDetails: { JobId: job.id, TargetCheckId: done.id, TenantUrl: done.tenantUrl },
      });
      return check;
    });
  }

  /** The job's newest check; 404 `target_check.not_found` before the first. */
  async latest(servicePrincipalId: string, jobId: string): Promise<TargetCheck> {
    const { db } = this.deps;
    const { sp, job } = await getJobOf(db, servicePrincipalId, jobId);
    const latest = await db.targetChecks.findLatestTargetCheck(job.id);
    if (!latest) {
      throw new AppError(
        'target_check.not_found',
        404,
        `The application of ${sp.displayName} has not been checked yet. Run a check with POST …/targetChecks (Provisioning > Check the target).`,
      );
    }
    return this.toContract(latest);
  }

  private async probe(
    job: ProvisioningJobRecord,
    tenantUrl: string,
    secretToken: string,
  ): Promise<{ findings: TargetCheckFinding[]; requests: number }> {
    const stop = (title: string, detail: string, fix: string) => ({
      findings: [{ id: 'connection', severity: 'error' as const, title, detail, fix }],
      requests: 0,
    });
    // Checked as written first, so that a refused URL is not even resolved.
    const refused = checkTargetUrl(tenantUrl, this.deps.targets.policy);
    if (refused) {
      return stop(
        'Provisio does not send the Secret Token to this address',
        refused.message,
        'Use an https:// Tenant URL on a public address, or ask an administrator to allow the host with PROVISIO_TARGET_ALLOW.',
      );
    }
    const connections = checkedTransport(this.deps.targets);
    try {
      let client: ScimClient;
      try {
        client = new ScimClient({
          tenantUrl,
          secretToken,
          timeoutMs: TEST_CONNECTION_TIMEOUT_MS,
          transport: connections.transport,
        });
      } catch (error) {
        return stop(
          'The saved credentials cannot be used',
          (error as Error).message,
          'Enter the Tenant URL and Secret Token again under Admin Credentials, Test Connection and save.',
        );
      }
      const probes = new TargetProbes(client, targetCheckPlan(job.schema, tenantUrl), {
        tag: randomBytes(4).toString('hex'),
        absentValue: randomUUID(),
        budgetMs: this.options.budgetMs ?? CHECK_BUDGET_MS,
        ...(this.options.maxRetryWaitMs === undefined ? {} : { maxRetryWaitMs: this.options.maxRetryWaitMs }),
      });
      return await probes.run();
    } finally {
      connections.close();
    }
  }

  private isRunning(check: TargetCheckRecord): boolean {
    return (
      check.status === 'running' &&
      this.deps.now().getTime() - Date.parse(check.startedAt) < ABANDONED_AFTER_MS
    );
  }

  private toContract(record: TargetCheckRecord): TargetCheck {
    const abandoned = record.status === 'running' && !this.isRunning(record);
    const findings: TargetCheckFinding[] = abandoned
      ? [
          {
            id: 'check.interrupted',
            severity: 'warning',
            title: 'The check was interrupted',
            detail: 'The check never finished: the server stopped while it ran.',
            fix: 'Run the check again.',
          },
        ]
      : record.findings;
    const count = (severity: TargetCheckFinding['severity']) =>
      findings.filter((f) => f.severity === severity).length;
    return {
      id: record.id,
      status: abandoned ? 'failed' : record.status,
      startedDateTime: record.startedAt,
      completedDateTime: record.completedAt,
      initiatedBy: record.initiatedBy,
      tenantUrl: record.tenantUrl,
      summary: {
        errors: count('error'),
        warnings: count('warning'),
        infos: count('info'),
        requests: record.requests,
        durationMs: record.durationMs,
      },
      findings,
    };
  }
}
