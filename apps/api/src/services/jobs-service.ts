import { randomBytes } from 'node:crypto';
import {
  CYCLE_INTERVAL_LIMITS,
  describeInterval,
  resetScopeValues,
  SECRET_KEYS,
  SENSITIVE_SECRET_KEYS,
  type Cycle,
  type ModifiedProperty,
  type SecretKey,
  type SecretsPut,
  type SecretsView,
  type ServicePrincipal,
  type SynchronizationJob,
  type SynchronizationJobPatch,
  type MailStatus,
  type TestNotificationResult,
  type SynchronizationSchema,
  type ValidateCredentials,
} from '@provisio/contracts';
import {
  JOB_SETTING_NAMES,
  nextJobStatus,
  parseDuration,
  readJobOptions,
  readNotificationSettings,
  type JobStatusEvent,
} from '@provisio/engine';
import {
  secondsToDuration,
  toSynchronizationJob,
  type ProvisioDb,
  type ProvisioningJobRecord,
} from '@provisio/db';
import { findSynchronizationTemplate } from '@provisio/gallery';
import {
  checkedConnector,
  checkTargetUrl,
  createFetchTransport,
  parseTenantUrl,
  resolveTarget,
  ScimClient,
  ScimFailure,
  TargetRefusedError,
  type ScimTransport,
  type TargetPolicy,
} from '@provisio/scim-client';
import { Agent, buildConnector } from 'undici';
import { AppError, invalidField } from '../errors';
import { recordAudit } from './audit';
import { checkRecipients } from './notification-recipients';
import type { RequestContext, ServiceDeps, TargetAccess } from './context';
import { writeTransaction } from './transaction';

type ResetScope = (typeof resetScopeValues)[number];

/** What the portal's Restart provisioning does when no resetScope is given. */
const PORTAL_RESTART: readonly ResetScope[] = ['QuarantineState', 'Watermark', 'Escrows'];

/** Test Connection must answer within about ten seconds, however the target behaves. */
export const TEST_CONNECTION_TIMEOUT_MS = 10_000;

/**
 * Parses Graph's comma-separated `resetScope` ("Watermark, Escrows"); names
 * are matched case-insensitively, `Full` stands for every option.
 */
export function parseResetScope(text: string | undefined): Set<ResetScope> {
  const names = (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) return new Set(PORTAL_RESTART);
  const out = new Set<ResetScope>();
  for (const name of names) {
    const known = resetScopeValues.find((v) => v.toLowerCase() === name.toLowerCase());
    if (!known) {
      throw invalidField(
        'body/criteria/resetScope',
        `body/criteria/resetScope: '${name}' is not a reset scope. Use a comma-separated list of ${resetScopeValues.join(', ')}, or leave it empty for QuarantineState, Watermark, Escrows.`,
      );
    }
    if (known === 'Full') {
      for (const v of resetScopeValues) if (v !== 'None' && v !== 'Full') out.add(v);
    } else if (known !== 'None') {
      out.add(known);
    }
  }
  return out;
}

/** A new job id in Graph's form: the template id, a dot, 32 hex digits (`scim.0f3c…`). */
export const newJobId = (templateId: string): string => `${templateId}.${randomBytes(16).toString('hex')}`;

/**
 * Creates a provisioning job from a synchronization template, status
 * NotConfigured and schedule Disabled. Shared by the API and the demo seed.
 */
export async function insertJobFromTemplate(
  db: ProvisioDb,
  servicePrincipalId: string,
  templateId: string,
  intervalSeconds: number,
): Promise<ProvisioningJobRecord> {
  const template = findSynchronizationTemplate(templateId);
  if (!template) {
    throw invalidField(
      'body/templateId',
      `body/templateId: there is no synchronization template '${templateId}'. Use 'scim' for a SCIM 2.0 application.`,
    );
  }
  const id = newJobId(template.synchronizationTemplateId);
  return db.jobs.insertJob({
    id,
    servicePrincipalId,
    templateId: template.synchronizationTemplateId,
    schema: template.defaultSchema(id),
    intervalSeconds,
  });
}

/** The target attribute users are matched on first (Test Connection looks one up), `userName` by default. */
export function primaryMatchingAttribute(schema: SynchronizationSchema): string {
  const mappings = schema.synchronizationRules
    .flatMap((r) => r.objectMappings)
    .filter((m) => m.sourceObjectName === 'User' && m.enabled)
    .flatMap((m) => m.attributeMappings)
    .filter((a) => a.matchingPriority > 0)
    .sort((a, b) => a.matchingPriority - b.matchingPriority);
  return mappings[0]?.targetAttributeName ?? 'userName';
}

/** The Settings labels of the true/false secrets, for messages a person reads. */
const SETTING_LABELS = {
  SyncAll: 'Scope (sync all users and groups)',
  SkipOutOfScopeDeletions: 'Skip out of scope deletions',
} as const;

/** The secrets Test Connection uses: a change to either is tested before it is saved while provisioning is on. */
const CREDENTIAL_KEYS: readonly SecretKey[] = ['BaseAddress', 'SecretToken'];

/**
 * The cycle interval of `PATCH …/jobs/{jobId}` in seconds: an ISO 8601 duration from 20 minutes to
 * 24 hours (CYCLE_INTERVAL_LIMITS), refused otherwise with a message in words.
 */
export function parseCycleInterval(text: string): number {
  const target = 'body/schedule/interval';
  const { minSeconds, maxSeconds } = CYCLE_INTERVAL_LIMITS;
  const range = `between ${describeInterval(minSeconds)} and ${describeInterval(maxSeconds)}`;
  const ms = parseDuration(text);
  if (ms === null) {
    throw invalidField(
      target,
      `The cycle interval must be a duration ${range}, written as ISO 8601 (PT40M for 40 minutes, PT2H for 2 hours); '${text.slice(0, 40)}' is not one.`,
      'provisioning_job.invalid_interval',
    );
  }
  const seconds = Math.round(ms / 1000);
  if (seconds < minSeconds || seconds > maxSeconds) {
    throw invalidField(
      target,
      `The cycle interval must be ${range}; ${text.trim()} is ${describeInterval(seconds)}.`,
      'provisioning_job.invalid_interval',
    );
  }
  return seconds;
}

const isSensitive = (key: string) => (SENSITIVE_SECRET_KEYS as readonly string[]).includes(key);

/** The code of a Tenant URL the policy refuses (PROVISIO_TARGET_ALLOW), on save and in Test Connection. */
const TENANT_URL_REFUSED = 'synchronization.tenant_url_refused';

/** 400 `synchronization.credentials_invalid`: what Test Connection found, on the field it concerns. */
function credentialsInvalid(message: string, field?: string): AppError {
  return new AppError('synchronization.credentials_invalid', 400, message, [
    { code: 'synchronization.credentials_invalid', message, ...(field ? { target: field } : {}) },
  ]);
}

/**
 * Checks one secret value as typed; returns the value to store. A Tenant URL is checked as written
 * against the policy (scheme, http, an address in any notation); the addresses a name resolves to
 * are checked on save (`checkTenantUrlResolves`), by Test Connection and by the worker before each
 * connection.
 */
function checkSecret(key: SecretKey, value: string, target: string, policy: TargetPolicy): string {
  switch (key) {
    case 'BaseAddress': {
      try {
        parseTenantUrl(value);
      } catch (error) {
        throw invalidField(target, `${target}: ${(error as Error).message}`);
      }
      const refused = checkTargetUrl(value, policy);
      if (refused) throw invalidField(target, refused.message, TENANT_URL_REFUSED);
      return value.trim();
    }
    case 'SyncAll':
    case 'SkipOutOfScopeDeletions':
      if (!/^(true|false)$/i.test(value.trim())) {
        throw invalidField(
          target,
          `${SETTING_LABELS[key]} (${key}) must be "true" or "false", not '${value.slice(0, 40)}'.`,
        );
      }
      return value.trim().toLowerCase() === 'true' ? 'true' : 'false';
    case 'SyncNotificationSettings': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        parsed = undefined;
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw invalidField(
          target,
          `${target}: SyncNotificationSettings must be a JSON object such as {"Enabled":true,"Recipients":"it@contoso.com","DeleteThresholdEnabled":true}.`,
        );
      }
      checkRecipients(target, (parsed as { Recipients?: unknown }).Recipients);
      return value;
    }
    default:
      return value;
  }
}

/** The application and its job; 404 `provisioning_job.not_found` when the job is not the application's. */
export async function getJobOf(
  db: ProvisioDb,
  servicePrincipalId: string,
  jobId: string,
): Promise<{ sp: ServicePrincipal; job: ProvisioningJobRecord }> {
  const sp = await db.applications.getServicePrincipal(servicePrincipalId);
  const job = await db.jobs.findJob(jobId);
  if (!job || job.servicePrincipalId !== servicePrincipalId) {
    throw new AppError(
      'provisioning_job.not_found',
      404,
      `${sp.displayName} has no provisioning job '${jobId}'. List its jobs with GET …/synchronization/jobs.`,
    );
  }
  return { sp, job };
}

/**
 * A transport for Test Connection whose connector checks the Tenant URL policy, including every
 * address a name resolves to, before it connects. Close it after use: nothing is kept open.
 */
export function checkedTransport(targets: TargetAccess): { transport: ScimTransport; close: () => void } {
  const agent = new Agent({
    connect: checkedConnector(targets.policy, targets.connect ?? buildConnector({}), targets.lookup),
  });
  return {
    transport: createFetchTransport({ dispatcher: agent }),
    // A target that is still sending is cut off rather than waited for.
    close: () => void agent.destroy(),
  };
}

/** Provisioning jobs: lifecycle (start, pause, restart, run now), schema, secrets and Test Connection. */
export class JobsService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(servicePrincipalId: string): Promise<SynchronizationJob[]> {
    const { db } = this.deps;
    await db.applications.getServicePrincipal(servicePrincipalId);
    return (await db.jobs.listJobsOf(servicePrincipalId)).map((job) =>
      toSynchronizationJob(job, this.deps.now()),
    );
  }

  async get(servicePrincipalId: string, jobId: string): Promise<SynchronizationJob> {
    return toSynchronizationJob(
      (await this.jobOf(this.deps.db, servicePrincipalId, jobId)).job,
      this.deps.now(),
    );
  }

  create(ctx: RequestContext, servicePrincipalId: string, templateId: string): Promise<SynchronizationJob> {
    const { db, now, cycleIntervalSeconds } = this.deps;
    return writeTransaction(db, async (tx) => {
      const sp = await tx.applications.getServicePrincipal(servicePrincipalId);
      if ((await tx.jobs.listJobsOf(servicePrincipalId)).length > 0) {
        throw new AppError(
          'provisioning_job.conflict',
          409,
          `${sp.displayName} already has a provisioning job; an application has at most one. Edit that one, or delete it first.`,
        );
      }
      const job = await insertJobFromTemplate(tx, servicePrincipalId, templateId, cycleIntervalSeconds);
      await recordAudit(tx, ctx, now(), {
        category: 'ProvisioningManagement',
        activity: 'Add provisioning configuration',
        operationType: 'Add',
        targets: [this.target(sp)],
        additionalDetails: { JobId: job.id, TemplateId: job.templateId },
      });
      return toSynchronizationJob(job);
    });
  }

  async delete(ctx: RequestContext, servicePrincipalId: string, jobId: string): Promise<void> {
    const { db, now } = this.deps;
    await writeTransaction(db, async (tx) => {
      const { sp, job } = await this.jobOf(tx, servicePrincipalId, jobId);
      await tx.jobs.deleteJob(job.id);
      await recordAudit(tx, ctx, now(), {
        category: 'ProvisioningManagement',
        activity: 'Delete provisioning configuration',
        operationType: 'Delete',
        targets: [this.target(sp)],
        additionalDetails: { JobId: job.id },
      });
    });
  }

  /**
   * `PATCH …/jobs/{jobId}`: sets job settings and the cycle interval (`schedule.interval`). Each
   * setting is checked as a cycle would read it, so a bad value is refused here, naming the setting,
   * instead of failing the next cycle. An empty value removes the setting (its default applies
   * again). A shorter interval brings a scheduled cycle forward; one audit event names every change.
   */
  update(
    ctx: RequestContext,
    servicePrincipalId: string,
    jobId: string,
    patch: SynchronizationJobPatch,
  ): Promise<SynchronizationJob> {
    const { db, now } = this.deps;
    const intervalSeconds =
      patch.schedule === undefined ? undefined : parseCycleInterval(patch.schedule.interval);
    return writeTransaction(db, async (tx) => {
      const { sp, job } = await this.jobOf(tx, servicePrincipalId, jobId);
      const settings: Record<string, string> = { ...job.settings };
      const changed: ModifiedProperty[] = [];
      (patch.synchronizationJobSettings ?? []).forEach((entry, i) => {
        const name = JOB_SETTING_NAMES.find((n) => n.toLowerCase() === entry.name.trim().toLowerCase());
        if (!name) {
          throw invalidField(
            `body/synchronizationJobSettings/${i}/name`,
            `body/synchronizationJobSettings/${i}/name: '${entry.name}' is not a job setting. Use one of ${JOB_SETTING_NAMES.join(', ')}.`,
            'provisioning_job.unknown_setting',
          );
        }
        const value = entry.value.trim();
        const old = settings[name] ?? null;
        if (value === '') delete settings[name];
        else settings[name] = value;
        const checked = readJobOptions({ BaseAddress: 'https://settings.check' }, settings);
        if (!checked.ok && checked.error.target === name) {
          throw invalidField(
            `body/synchronizationJobSettings/${i}/value`,
            `body/synchronizationJobSettings/${i}/value: ${checked.error.message}`,
            'provisioning_job.invalid_setting',
          );
        }
        if (old !== (settings[name] ?? null))
          changed.push({ displayName: name, oldValue: old, newValue: settings[name] ?? null });
      });
      const schedule = intervalSeconds === undefined ? {} : this.reschedule(job, intervalSeconds);
      if (intervalSeconds !== undefined && intervalSeconds !== job.intervalSeconds) {
        changed.push({
          displayName: 'Interval',
          oldValue: secondsToDuration(job.intervalSeconds),
          newValue: secondsToDuration(intervalSeconds),
        });
      }
      const updated = await tx.jobs.updateJob(job.id, { settings, ...schedule });
      if (changed.length > 0) {
        await recordAudit(tx, ctx, now(), {
          category: 'ProvisioningManagement',
          activity: 'Update provisioning setting or credentials',
          operationType: 'Update',
          targets: [this.target(sp, changed)],
          additionalDetails: { JobId: job.id },
        });
      }
      return toSynchronizationJob(updated);
    });
  }

  /**
   * A new interval, and the next cycle no later than one new interval from now while provisioning
   * is on (a quarantined job keeps the pace its quarantine set).
   */
  reschedule(
    job: ProvisioningJobRecord,
    intervalSeconds: number,
  ): { intervalSeconds: number; nextRunAt?: string } {
    if (job.scheduleState !== 'Active' || job.statusCode === 'Quarantine' || job.nextRunAt === null) {
      return { intervalSeconds };
    }
    const soonest = this.deps.now().getTime() + intervalSeconds * 1000;
    return Date.parse(job.nextRunAt) > soonest
      ? { intervalSeconds, nextRunAt: new Date(soonest).toISOString() }
      : { intervalSeconds };
  }

  /** Whether this installation can send email (PROVISIO_SMTP_URL), and as whom. */
  mailStatus(): MailStatus {
    const { mailer } = this.deps;
    return { configured: mailer !== null, from: mailer?.from ?? null };
  }

  /** Sends a test email to the job's notification recipients (Settings → Send test email). */
  async sendTestNotification(servicePrincipalId: string, jobId: string): Promise<TestNotificationResult> {
    const { db, mailer } = this.deps;
    const { sp, job } = await this.jobOf(db, servicePrincipalId, jobId);
    if (!mailer) {
      throw new AppError(
        'notification.mail_not_configured',
        400,
        'Mail is not configured: set PROVISIO_SMTP_URL (and PROVISIO_SMTP_FROM) for the API and the worker, then restart them.',
      );
    }
    const { recipients } = readNotificationSettings(
      (await db.jobs.getSecrets(job.id)).SyncNotificationSettings,
    );
    if (recipients.length === 0) {
      throw new AppError(
        'notification.no_recipients',
        400,
        `${sp.displayName} has no Notification Email. Enter one under Settings and save, then send the test email.`,
      );
    }
    try {
      await mailer.send(recipients, {
        subject: `Test email from Provisio for ${sp.displayName}`,
        text: `This is a test. Failure notifications of ${sp.displayName} (a quarantine, held deletions, a failed cycle) are sent to this address.`,
      });
    } catch (error) {
      throw new AppError(
        'notification.send_failed',
        502,
        `The mail server did not take the message: ${error instanceof Error ? error.message : String(error)}. Check PROVISIO_SMTP_URL.`,
      );
    }
    return { recipients };
  }

  /** Provisioning Status On: the worker picks the job up now, then every interval. Lifts a quarantine. */
  async start(ctx: RequestContext, servicePrincipalId: string, jobId: string): Promise<void> {
    const { db, now } = this.deps;
    await writeTransaction(db, async (tx) => {
      const { sp, job } = await this.jobOf(tx, servicePrincipalId, jobId);
      await this.requireTenantUrl(tx, sp, job);
      await this.activate(tx, job, false, { type: 'start' });
      await recordAudit(tx, ctx, now(), {
        category: 'ProvisioningManagement',
        activity: 'Enable/start provisioning configuration',
        operationType: 'Update',
        targets: [
          this.target(sp, [
            { displayName: 'ScheduleState', oldValue: job.scheduleState, newValue: 'Active' },
          ]),
        ],
        additionalDetails: { JobId: job.id },
      });
    });
  }

  /** Provisioning Status Off: no new cycle starts; one that is running finishes. */
  async pause(ctx: RequestContext, servicePrincipalId: string, jobId: string): Promise<void> {
    const { db, now } = this.deps;
    await writeTransaction(db, async (tx) => {
      const { sp, job } = await this.jobOf(tx, servicePrincipalId, jobId);
      const paused = nextJobStatus(job, { type: 'pause' });
      await tx.jobs.updateJob(job.id, {
        scheduleState: paused.scheduleState,
        statusCode: paused.statusCode,
        runRequestedAt: null,
      });
      await recordAudit(tx, ctx, now(), {
        category: 'ProvisioningManagement',
        activity: 'Disable/pause provisioning configuration',
        operationType: 'Update',
        targets: [
          this.target(sp, [
            { displayName: 'ScheduleState', oldValue: job.scheduleState, newValue: 'Paused' },
          ]),
        ],
        additionalDetails: { JobId: job.id },
      });
    });
  }

  /**
   * Restart provisioning: resets what `resetScope` names (by default the
   * quarantine, the watermark and the escrows; links to target objects are
   * kept unless ConnectorDataStore or Full) and requests a cycle now.
   */
  async restart(
    ctx: RequestContext,
    servicePrincipalId: string,
    jobId: string,
    resetScope: string | undefined,
  ): Promise<void> {
    const { db, now } = this.deps;
    const scope = parseResetScope(resetScope);
    await writeTransaction(db, async (tx) => {
      const { sp, job } = await this.jobOf(tx, servicePrincipalId, jobId);
      await this.requireTenantUrl(tx, sp, job);
      if (scope.has('ConnectorDataStore')) await tx.connector.clear(job.id);
      if (scope.has('Escrows')) await tx.escrows.clearEscrows(job.id);
      // A cycle that is running or was interrupted must not move the watermark or resume:
      // the next cycle starts over as an initial cycle.
      if (scope.has('Watermark') || scope.has('ConnectorDataStore'))
        await tx.jobs.clearCycleCheckpoint(job.id);
      // Allow deletes: the next cycle removes what the accidental deletion threshold held back.
      if (scope.has('ForceDeletes')) await tx.jobs.updateJob(job.id, { forceDeletes: true });
      await this.activate(tx, job, scope.has('Watermark') || scope.has('ConnectorDataStore'), {
        type: 'restart',
        clearQuarantine: scope.has('QuarantineState'),
      });
      await recordAudit(tx, ctx, now(), {
        category: 'ProvisioningManagement',
        activity: 'Enable/restart provisioning configuration',
        operationType: 'Update',
        targets: [
          this.target(sp, [
            { displayName: 'ScheduleState', oldValue: job.scheduleState, newValue: 'Active' },
          ]),
        ],
        additionalDetails: { JobId: job.id, ResetScope: [...scope].join(', ') || 'None' },
      });
    });
  }

  /** Our addition: asks the worker for a cycle now rather than at the next interval. */
  async runNow(servicePrincipalId: string, jobId: string): Promise<void> {
    const { db, now } = this.deps;
    await writeTransaction(db, async (tx) => {
      const { sp, job } = await this.jobOf(tx, servicePrincipalId, jobId);
      if (job.scheduleState !== 'Active') {
        throw new AppError(
          'provisioning_job.not_active',
          400,
          `Provisioning is off for ${sp.displayName}. Start provisioning first; a cycle then runs right away.`,
        );
      }
      await tx.jobs.updateJob(job.id, { runRequestedAt: now().toISOString() });
    });
  }

  async listCycles(servicePrincipalId: string, jobId: string, top: number): Promise<Cycle[]> {
    const { job } = await this.jobOf(this.deps.db, servicePrincipalId, jobId);
    return (await this.deps.db.cycles.listCycles(job.id, top)).map((c) => ({
      id: c.id,
      kind: c.kind,
      state: c.state,
      beganAt: c.beganAt,
      endedAt: c.endedAt,
      counts: { ...c.counts },
      error: c.error ? { code: c.error.code, message: c.error.message } : null,
    }));
  }

  /** What is saved, never the Secret Token itself. */
  async getSecrets(servicePrincipalId: string): Promise<SecretsView> {
    const { job } = await this.jobOfApplication(this.deps.db, servicePrincipalId);
    const saved = await this.deps.db.jobs.getSecrets(job.id);
    return {
      value: SECRET_KEYS.map((key) => {
        const stored = saved[key];
        const hasValue = stored !== undefined && stored !== '';
        return { key, value: hasValue && !isSensitive(key) ? stored : null, hasValue };
      }),
    };
  }

  /**
   * Saves credentials and settings. Keys left out keep their value; an empty
   * value clears the key. The audit event names the keys, never a secret value.
   */
  async putSecrets(ctx: RequestContext, servicePrincipalId: string, input: SecretsPut): Promise<void> {
    const { db, now } = this.deps;
    const values = input.value.map((entry, index) => ({
      key: entry.key,
      value:
        entry.value === ''
          ? ''
          : checkSecret(entry.key, entry.value, `body/value/${index}/value`, this.deps.targets.policy),
    }));
    await this.checkTenantUrlResolves(values);
    await this.testCredentialsBeforeSave(servicePrincipalId, values);
    await writeTransaction(db, async (tx) => {
      const { sp, job } = await this.jobOfApplication(tx, servicePrincipalId);
      const saved = await tx.jobs.getSecrets(job.id);
      const next: Record<string, string> = { ...saved };
      for (const { key, value } of values) {
        if (value === '') delete next[key];
        else next[key] = value;
      }
      const changed: ModifiedProperty[] = SECRET_KEYS.filter((k) => (saved[k] ?? '') !== (next[k] ?? '')).map(
        (k) =>
          isSensitive(k)
            ? { displayName: k, oldValue: null, newValue: null }
            : { displayName: k, oldValue: saved[k] ?? null, newValue: next[k] ?? null },
      );
      if (changed.length === 0) return;
      await tx.jobs.setSecrets(job.id, next);
      await recordAudit(tx, ctx, now(), {
        category: 'ProvisioningManagement',
        activity: 'Update provisioning setting or credentials',
        operationType: 'Update',
        targets: [this.target(sp, changed)],
        additionalDetails: { JobId: job.id, ChangedKeys: changed.map((c) => c.displayName).join(', ') },
      });
    });
  }

  /**
   * Test Connection: with the saved credentials and/or the ones given (given
   * values win), looks up a user that cannot exist on the target's SCIM
   * endpoint. Resolves when the target answers as SCIM requires; otherwise
   * throws 400 `synchronization.credentials_invalid` saying what failed, or
   * 400 `synchronization.tenant_url_refused` when the Tenant URL policy refuses
   * the URL or an address its host resolves to (nothing is sent then).
   */
  async validateCredentials(
    servicePrincipalId: string,
    jobId: string,
    input: ValidateCredentials,
  ): Promise<void> {
    const { db } = this.deps;
    const { job } = await this.jobOf(db, servicePrincipalId, jobId);
    const merged: Record<string, string> = input.useSavedCredentials
      ? { ...(await db.jobs.getSecrets(job.id)) }
      : {};
    for (const c of input.credentials ?? []) if (c.value !== '') merged[c.key] = c.value;
    const baseIndex = (input.credentials ?? []).findIndex((c) => c.key === 'BaseAddress' && c.value !== '');
    const target = baseIndex >= 0 ? `body/credentials/${baseIndex}/value` : 'body/credentials';
    if (!merged.BaseAddress) {
      throw credentialsInvalid(
        input.useSavedCredentials
          ? 'No Tenant URL is saved for this application. Enter the Tenant URL (the SCIM base address) and test again.'
          : 'Enter the Tenant URL (BaseAddress), the SCIM base address of the application, or test with useSavedCredentials.',
        target,
      );
    }
    await this.testConnection(job, merged, target);
  }

  /**
   * Looks up a user that cannot exist with these credentials through the Tenant URL policy; throws
   * 400 `synchronization.credentials_invalid` or `synchronization.tenant_url_refused` (`target` names
   * the field of the request that carries the Tenant URL).
   */
  private async testConnection(
    job: ProvisioningJobRecord,
    merged: Record<string, string>,
    target: string,
  ): Promise<void> {
    const invalid = credentialsInvalid;
    const tenantUrl = merged.BaseAddress;
    if (!tenantUrl) {
      throw invalid('Enter the Tenant URL (BaseAddress), the SCIM base address of the application.', target);
    }
    const refused = (message: string) => invalidField(target, message, TENANT_URL_REFUSED);
    try {
      parseTenantUrl(tenantUrl);
    } catch (error) {
      throw invalid((error as Error).message, target);
    }
    // Checked as written first, so that a refused URL is not even resolved.
    const written = checkTargetUrl(tenantUrl, this.deps.targets.policy);
    if (written) throw refused(written.message);
    const connections = checkedTransport(this.deps.targets);
    try {
      let client: ScimClient;
      try {
        client = new ScimClient({
          tenantUrl,
          secretToken: merged.SecretToken ?? '',
          timeoutMs: TEST_CONNECTION_TIMEOUT_MS,
          transport: connections.transport,
        });
      } catch (error) {
        // A Tenant URL or token that cannot even be sent is the caller's to fix.
        throw invalid((error as Error).message, target);
      }
      await client.testConnection(primaryMatchingAttribute(job.schema), {
        timeoutMs: TEST_CONNECTION_TIMEOUT_MS,
      });
    } catch (error) {
      if (error instanceof ScimFailure) {
        if (error.kind === 'refused') throw refused(error.message);
        throw invalid(`Test Connection failed. ${error.message}`);
      }
      throw error;
    } finally {
      connections.close();
    }
  }

  /**
   * While provisioning is on, new credentials are tested as Test Connection tests them (the saved
   * ones completed by those given) and refused with the reason when they fail: 400
   * `synchronization.credentials_invalid` or `synchronization.tenant_url_refused`, nothing saved.
   * With provisioning off they are saved untested, as in Entra.
   */
  private async testCredentialsBeforeSave(
    servicePrincipalId: string,
    values: { key: SecretKey; value: string }[],
  ): Promise<void> {
    const { db } = this.deps;
    const { sp, job } = await this.jobOfApplication(db, servicePrincipalId);
    if (job.scheduleState !== 'Active') return;
    const saved = await db.jobs.getSecrets(job.id);
    const index = values.findIndex(
      (v) => CREDENTIAL_KEYS.includes(v.key) && (saved[v.key] ?? '') !== v.value,
    );
    if (index < 0) return;
    const merged: Record<string, string> = { ...saved };
    for (const { key, value } of values) {
      if (value === '') delete merged[key];
      else merged[key] = value;
    }
    const target = `body/value/${index}/value`;
    try {
      await this.testConnection(job, merged, target);
    } catch (error) {
      if (error instanceof AppError && error.code === 'synchronization.credentials_invalid') {
        const message = `The credentials were not saved: provisioning of ${sp.displayName} is On, and Test Connection with the new Tenant URL and Secret Token failed. ${error.message} Correct them, or turn Provisioning Status Off to save them anyway.`;
        throw new AppError('synchronization.credentials_invalid', 400, message, [
          { code: 'synchronization.credentials_invalid', message, target },
        ]);
      }
      throw error;
    }
  }

  /**
   * A Tenant URL whose host name resolves to an address the policy refuses is refused on save too,
   * with the same message as Test Connection and the worker. A name that does not resolve (yet) is
   * saved: internal DNS may answer only where the worker runs, which checks it before each connection.
   */
  private async checkTenantUrlResolves(values: { key: string; value: string }[]): Promise<void> {
    const index = values.findIndex((v) => v.key === 'BaseAddress' && v.value !== '');
    const tenantUrl = values[index]?.value;
    if (!tenantUrl) return;
    try {
      await resolveTarget(new URL(tenantUrl).hostname, this.deps.targets.policy, this.deps.targets.lookup);
    } catch (error) {
      if (error instanceof TargetRefusedError) {
        throw invalidField(`body/value/${index}/value`, error.message, TENANT_URL_REFUSED);
      }
      // Not resolvable from here: nothing is sent on save; the worker checks again.
    }
  }

  // ---- helpers ----

  private target(sp: ServicePrincipal, modifiedProperties: ModifiedProperty[] = []) {
    return { id: sp.id, displayName: sp.displayName, type: 'ServicePrincipal', modifiedProperties };
  }

  private jobOf(
    db: ProvisioDb,
    servicePrincipalId: string,
    jobId: string,
  ): Promise<{ sp: ServicePrincipal; job: ProvisioningJobRecord }> {
    return getJobOf(db, servicePrincipalId, jobId);
  }

  private async jobOfApplication(
    db: ProvisioDb,
    servicePrincipalId: string,
  ): Promise<{ sp: ServicePrincipal; job: ProvisioningJobRecord }> {
    const sp = await db.applications.getServicePrincipal(servicePrincipalId);
    const job = (await db.jobs.listJobsOf(servicePrincipalId))[0];
    if (!job) {
      throw new AppError(
        'provisioning_job.not_found',
        404,
        `${sp.displayName} has no provisioning job yet. Create one first (POST …/synchronization/jobs with {"templateId":"scim"}).`,
      );
    }
    return { sp, job };
  }

  /** 400 `provisioning_job.not_configured` until the job has a Tenant URL. */
  async requireTenantUrl(db: ProvisioDb, sp: ServicePrincipal, job: ProvisioningJobRecord): Promise<void> {
    if (!(await db.jobs.getSecrets(job.id)).BaseAddress) {
      throw new AppError(
        'provisioning_job.not_configured',
        400,
        `${sp.displayName} has no Tenant URL yet. Enter the Tenant URL and Secret Token under Admin Credentials, Test Connection, save, then start provisioning.`,
      );
    }
  }

  /**
   * Schedules the job and requests a cycle now; the engine's job status machine says what becomes
   * of the status code and a quarantine (Start always lifts it; Restart when its scope says so).
   */
  async activate(
    db: ProvisioDb,
    job: ProvisioningJobRecord,
    resetWatermark: boolean,
    event: JobStatusEvent,
  ): Promise<void> {
    const { now } = this.deps;
    const next = nextJobStatus(job, event);
    await db.jobs.updateJob(job.id, {
      scheduleState: next.scheduleState,
      statusCode: next.statusCode,
      status: next.status,
      runRequestedAt: now().toISOString(),
      ...(resetWatermark ? { watermark: null } : {}),
    });
  }
}
