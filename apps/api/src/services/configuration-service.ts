import {
  DEFAULT_ACCESS_ROLE_ID,
  PROVISIONING_CONFIGURATION_FORMAT,
  PROVISIONING_CONFIGURATION_VERSION,
  provisioningConfigurationSchema,
  synchronizationSchemaPutSchema,
  type AppRole,
  type MappingChange,
  type ModifiedProperty,
  type ProvisioningConfiguration,
  type ProvisioningConfigurationImportResult,
  type ProvisioningConfigurationSettings,
  type ProvisioningConfigurationValidation,
  type ServicePrincipal,
  type SynchronizationSchema,
} from '@provisio/contracts';
import { secondsToDuration, type ProvisioDb, type ProvisioningJobRecord } from '@provisio/db';
import { JOB_SETTING_NAMES, parseDuration, readJobOptions, validateSchema } from '@provisio/engine';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import { AppError, type ErrorDetail } from '../errors';
import { describeValidation } from '../plugins/validation';
import { checkAppRoles, recordRoleChanges } from './app-roles';
import { recordAudit } from './audit';
import type { RequestContext, ServiceDeps } from './context';
import { getJobOf, parseCycleInterval, type JobsService } from './jobs-service';
import { checkRecipients } from './notification-recipients';
import { MAX_AUDITED_CHANGES, type SchemaPut, type SchemaService } from './schema-service';
import { writeTransaction } from './transaction';

/** The code of every problem that refuses an import (the details say which field). */
const INVALID = 'provisioning_configuration.invalid';

const checkDocument = Compile(provisioningConfigurationSchema);

/** `schema/synchronizationRules/0/objectMappings` as a reader writes it: `schema.synchronizationRules[0].objectMappings`. */
export function dottedPath(path: string): string {
  return path
    .split('/')
    .filter(Boolean)
    .map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}

/** One problem of a document, at a field given by its path in the document. */
function problem(code: string, target: string, message: string, extra: Partial<ErrorDetail> = {}) {
  return { code, target, message: `${dottedPath(target)}: ${message}`, ...extra };
}

/** What an import would store: every part checked, nothing written yet. */
interface ImportPlan {
  schema: SynchronizationSchema;
  settings: Record<string, string>;
  intervalSeconds: number;
  secrets: Record<string, string>;
  appRoles: AppRole[];
  changes: ModifiedProperty[];
  schemaChanged: boolean;
}

const JOB_SETTING_ORDER = new Map<string, number>(JOB_SETTING_NAMES.map((n, i) => [n, i]));

/** The SyncNotificationSettings secret as the document carries it. */
function readNotificationSecret(
  text: string | undefined,
): ProvisioningConfigurationSettings['notificationSettings'] {
  if (!text) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const doc = parsed as Record<string, unknown>;
  const flag = (v: unknown) => v === true || v === 'true';
  return {
    ...(doc.Enabled !== undefined ? { Enabled: flag(doc.Enabled) } : {}),
    ...(typeof doc.Recipients === 'string' ? { Recipients: doc.Recipients } : {}),
    ...(doc.DeleteThresholdEnabled !== undefined
      ? { DeleteThresholdEnabled: flag(doc.DeleteThresholdEnabled) }
      : {}),
  };
}

const isTrue = (v: string | undefined) => (v ?? '').trim().toLowerCase() === 'true';

function describeRole(r: AppRole): string {
  const types = r.allowedMemberTypes.join(', ');
  return `${r.displayName} (value ${r.value === null ? 'none' : JSON.stringify(r.value)}; ${types}; ${r.isEnabled ? 'enabled' : 'disabled'})`;
}

/** A role with Graph's properties only, in one order: what is stored and compared. */
const cleanRole = (r: AppRole): AppRole => ({
  id: r.id,
  displayName: r.displayName,
  value: r.value,
  description: r.description,
  allowedMemberTypes: [...r.allowedMemberTypes],
  isEnabled: r.isEnabled,
});

const toMappingChange = (p: ModifiedProperty): MappingChange => ({
  change: p.oldValue === null ? 'Added' : p.newValue === null ? 'Removed' : 'Changed',
  displayName: p.displayName,
  oldValue: p.oldValue,
  newValue: p.newValue,
});

/**
 * Export and import of an application's provisioning configuration (our addition to Graph, as
 * Entra's schema editor downloads and uploads a schema): the job's schema, its settings and the
 * application's app roles in one JSON document, never a credential. An import checks every part
 * before it changes anything, applies it in one transaction and records one audit event.
 */
export class ConfigurationService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly schemas: SchemaService,
    private readonly jobs: JobsService,
  ) {}

  /** The configuration document of the job, and the file name a download gives it. */
  async export(
    servicePrincipalId: string,
    jobId: string,
  ): Promise<{ document: ProvisioningConfiguration; fileName: string }> {
    const { db, now } = this.deps;
    const { sp, job } = await getJobOf(db, servicePrincipalId, jobId);
    const schema = Value.Clean(
      synchronizationSchemaPutSchema,
      structuredClone(await this.schemas.get(servicePrincipalId, jobId)),
    ) as SchemaPut;
    const secrets = await db.jobs.getSecrets(job.id);
    const exportedAt = now();
    const document: ProvisioningConfiguration = {
      format: PROVISIONING_CONFIGURATION_FORMAT,
      formatVersion: PROVISIONING_CONFIGURATION_VERSION,
      exportedDateTime: exportedAt.toISOString(),
      exportedFrom: {
        servicePrincipalId: sp.id,
        displayName: sp.displayName,
        applicationTemplateId: sp.applicationTemplateId,
        jobId: job.id,
        templateId: job.templateId,
      },
      schema: { synchronizationRules: schema.synchronizationRules, directories: schema.directories },
      settings: {
        interval: secondsToDuration(job.intervalSeconds),
        syncAll: isTrue(secrets.SyncAll),
        skipOutOfScopeDeletions: isTrue(secrets.SkipOutOfScopeDeletions),
        notificationSettings: readNotificationSecret(secrets.SyncNotificationSettings),
        synchronizationJobSettings: Object.entries(job.settings)
          .filter(([name]) => JOB_SETTING_ORDER.has(name))
          .sort(([a], [b]) => (JOB_SETTING_ORDER.get(a) ?? 0) - (JOB_SETTING_ORDER.get(b) ?? 0))
          .map(([name, value]) => ({ name, value })),
      },
      appRoles: sp.appRoles,
    };
    const slug = sp.displayName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60);
    const day = exportedAt.toISOString().slice(0, 10);
    return { document, fileName: `provisioning-configuration-${slug || 'application'}-${day}.json` };
  }

  /**
   * What an import of `body` would be refused with, else what it would change; changes nothing
   * (the portal asks before it confirms an import).
   */
  async validate(
    servicePrincipalId: string,
    jobId: string,
    body: unknown,
  ): Promise<ProvisioningConfigurationValidation> {
    const { db } = this.deps;
    const { sp, job } = await getJobOf(db, servicePrincipalId, jobId);
    const checked = await this.check(db, sp, job, body);
    return 'problems' in checked
      ? { problems: checked.problems, changes: [] }
      : { problems: [], changes: checked.plan.changes.map(toMappingChange) };
  }

  /**
   * Imports a configuration document into the job: every part is checked first (400
   * `provisioning_configuration.invalid`, one detail per problem naming its field, nothing changed);
   * then the schema, the settings and the app roles are stored in one transaction with the audit
   * event "Import provisioning configuration". A changed schema is saved as a schema PUT is (version
   * bumped, watermark cleared, a cycle now when provisioning is on). The Tenant URL and the Secret
   * Token of the job are left as they are.
   */
  async import(
    ctx: RequestContext,
    servicePrincipalId: string,
    jobId: string,
    body: unknown,
  ): Promise<ProvisioningConfigurationImportResult> {
    const { db, now } = this.deps;
    return writeTransaction(db, async (tx) => {
      const { sp, job } = await getJobOf(tx, servicePrincipalId, jobId);
      const checked = await this.check(tx, sp, job, body);
      if ('problems' in checked) throw refusal(checked.problems);
      const { plan } = checked;
      if (plan.changes.length === 0) return { applied: false, version: job.schema.version, changes: [] };
      const stored = plan.schemaChanged ? await this.schemas.store(tx, job, plan.schema) : null;
      const current = await tx.jobs.getJob(job.id);
      await tx.jobs.updateJob(job.id, {
        settings: plan.settings,
        ...(plan.intervalSeconds !== current.intervalSeconds
          ? this.jobs.reschedule(current, plan.intervalSeconds)
          : {}),
      });
      await tx.jobs.setSecrets(job.id, plan.secrets);
      await tx.applications.updateServicePrincipal(sp.id, { appRoles: plan.appRoles });
      await recordRoleChanges(tx, sp.id, sp.appRoles, plan.appRoles);
      const version = stored?.version ?? job.schema.version;
      const document = body as ProvisioningConfiguration;
      await recordAudit(tx, ctx, now(), {
        category: 'ProvisioningManagement',
        activity: 'Import provisioning configuration',
        operationType: 'Update',
        targets: [
          {
            id: sp.id,
            displayName: sp.displayName,
            type: 'ServicePrincipal',
            modifiedProperties: plan.changes.slice(0, MAX_AUDITED_CHANGES),
          },
        ],
        additionalDetails: {
          JobId: job.id,
          SchemaVersion: version,
          ImportedFrom: `${document.exportedFrom.displayName} (${document.exportedFrom.jobId})`,
          ExportedDateTime: document.exportedDateTime,
          ...(plan.changes.length > MAX_AUDITED_CHANGES
            ? { MoreChanges: String(plan.changes.length - MAX_AUDITED_CHANGES) }
            : {}),
        },
      });
      return { applied: true, version, changes: plan.changes.map(toMappingChange) };
    });
  }

  /** Checks a document against the job it would go into; every problem, or the plan. */
  private async check(
    db: ProvisioDb,
    sp: ServicePrincipal,
    job: ProvisioningJobRecord,
    body: unknown,
  ): Promise<{ problems: ErrorDetail[] } | { plan: ImportPlan }> {
    const shape = checkShape(body);
    if (shape.length > 0) return { problems: shape };
    const doc = body as ProvisioningConfiguration;
    const cleaned = Value.Clean(synchronizationSchemaPutSchema, structuredClone(doc.schema)) as SchemaPut;
    const schema = await this.schemas.normalized(db, job.id, cleaned);
    const problems: ErrorDetail[] = [
      ...validateSchema(schema).map((p) =>
        problem(p.code, `schema/${p.target}`, p.message, {
          ...(p.objectMappingName !== undefined ? { objectMappingName: p.objectMappingName } : {}),
          ...(p.targetAttributeName !== undefined ? { targetAttributeName: p.targetAttributeName } : {}),
        }),
      ),
    ];
    const settings = this.checkSettings(doc.settings, problems);
    await this.checkRoles(db, sp, doc.appRoles, problems);
    if (problems.length > 0 || !settings) return { problems };

    const saved = await db.jobs.getSecrets(job.id);
    const secrets: Record<string, string> = {
      ...saved,
      SyncAll: String(doc.settings.syncAll),
      SkipOutOfScopeDeletions: String(doc.settings.skipOutOfScopeDeletions),
    };
    if (doc.settings.notificationSettings === null) delete secrets.SyncNotificationSettings;
    else secrets.SyncNotificationSettings = JSON.stringify(doc.settings.notificationSettings);

    const schemaChanges = await this.schemas.changesFrom(db, job, schema);
    const changes: ModifiedProperty[] = [
      ...(schemaChanges ?? []),
      ...settingChanges(job, saved, settings, secrets),
      ...roleChanges(sp.appRoles, doc.appRoles),
    ];
    return {
      plan: {
        schema,
        settings: settings.values,
        intervalSeconds: settings.intervalSeconds,
        secrets,
        appRoles: doc.appRoles.map(cleanRole),
        changes,
        schemaChanged: schemaChanges !== null,
      },
    };
  }

  /** The interval and the job settings, checked as `PATCH …/jobs/{jobId}` and a cycle check them. */
  private checkSettings(
    settings: ProvisioningConfigurationSettings,
    problems: ErrorDetail[],
  ): { values: Record<string, string>; intervalSeconds: number } | null {
    const before = problems.length;
    let intervalSeconds = 0;
    // This installation's default interval (PROVISIO_CYCLE_INTERVAL_SECONDS) may lie outside the range
    // an administrator can choose; a job that has it exports it and must import it again.
    const ms = parseDuration(settings.interval);
    const installationDefault = this.deps.cycleIntervalSeconds;
    try {
      intervalSeconds =
        ms !== null && Math.round(ms / 1000) === installationDefault
          ? installationDefault
          : parseCycleInterval(settings.interval);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      problems.push(problem(INVALID, 'settings/interval', error.message));
    }
    const values: Record<string, string> = {};
    settings.synchronizationJobSettings.forEach((entry, i) => {
      const at = `settings/synchronizationJobSettings/${i}`;
      const name = JOB_SETTING_NAMES.find((n) => n.toLowerCase() === entry.name.trim().toLowerCase());
      if (!name) {
        problems.push(
          problem(
            INVALID,
            `${at}/name`,
            `'${entry.name}' is not a job setting. Use one of ${JOB_SETTING_NAMES.join(', ')}, or remove the entry.`,
          ),
        );
        return;
      }
      if (values[name] !== undefined) {
        problems.push(problem(INVALID, `${at}/name`, `${name} is set twice. Keep one of the two entries.`));
        return;
      }
      const value = entry.value.trim();
      if (value === '') {
        problems.push(
          problem(
            INVALID,
            `${at}/value`,
            `${name} has no value. Give it one, or remove the entry to use the default.`,
          ),
        );
        return;
      }
      const read = readJobOptions({ BaseAddress: 'https://settings.check' }, { [name]: value });
      if (!read.ok) {
        problems.push(problem(INVALID, `${at}/value`, read.error.message));
        return;
      }
      values[name] = value;
    });
    try {
      checkRecipients('settings/notificationSettings/Recipients', settings.notificationSettings?.Recipients);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      problems.push(problem(INVALID, 'settings/notificationSettings/Recipients', error.message));
    }
    return problems.length > before ? null : { values, intervalSeconds };
  }

  /**
   * Graph's rules for app roles, as `PATCH /servicePrincipals/{id}` checks them (app-roles.ts), the
   * default access role kept, and no role the application's assignments use removed.
   */
  private async checkRoles(
    db: ProvisioDb,
    sp: ServicePrincipal,
    roles: AppRole[],
    problems: ErrorDetail[],
  ): Promise<void> {
    const refused = checkAppRoles(sp.appRoles, roles, { at: 'appRoles', removal: 'any' });
    for (const d of refused?.details ?? []) problems.push(problem(d.code, d.target ?? 'appRoles', d.message));
    const kept = new Set(roles.map((r) => r.id.toLowerCase()));
    if (!kept.has(DEFAULT_ACCESS_ROLE_ID)) {
      problems.push(
        problem(
          INVALID,
          'appRoles',
          `the default access role (id ${DEFAULT_ACCESS_ROLE_ID}, "User") is missing. Every application has it: put it back as the export wrote it.`,
        ),
      );
    }
    await this.checkRemovedRoles(db, sp, kept, problems);
  }

  /** A role the application's assignments use may not disappear: they would point at nothing. */
  private async checkRemovedRoles(
    db: ProvisioDb,
    sp: ServicePrincipal,
    keptIds: ReadonlySet<string>,
    problems: ErrorDetail[],
  ): Promise<void> {
    const assignments = await db.applications.listAssignmentsOf(sp.id);
    for (const role of sp.appRoles) {
      if (keptIds.has(role.id.toLowerCase())) continue;
      const users = assignments.filter((a) => a.appRoleId.toLowerCase() === role.id.toLowerCase());
      if (users.length === 0) continue;
      const names = users.slice(0, 5).map((a) => a.principalDisplayName);
      const more = users.length > names.length ? ` and ${users.length - names.length} more` : '';
      problems.push(
        problem(
          'provisioning_configuration.role_in_use',
          'appRoles',
          `the app role '${role.displayName}' of ${sp.displayName} is not in the document, but ${users.length} assignment${users.length === 1 ? '' : 's'} use${users.length === 1 ? 's' : ''} it (${names.join(', ')}${more}). Add the role to the document, or assign them another role under Users and groups first.`,
        ),
      );
    }
  }
}

/** The format marker, then the shape of every field. */
function checkShape(body: unknown): ErrorDetail[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return [
      problem(INVALID, 'format', 'the file is not a JSON object. Import a file exported from Provisio.'),
    ];
  }
  const doc = body as Record<string, unknown>;
  if (doc.format !== PROVISIONING_CONFIGURATION_FORMAT) {
    return [
      problem(
        'provisioning_configuration.unsupported_format',
        'format',
        `this is not a Provisio provisioning configuration (format is ${doc.format === undefined ? 'missing' : JSON.stringify(doc.format)}, expected "${PROVISIONING_CONFIGURATION_FORMAT}"). Export the configuration from an application's Provisioning page (Mappings > Export configuration) and import that file.`,
      ),
    ];
  }
  if (doc.formatVersion !== PROVISIONING_CONFIGURATION_VERSION) {
    const newer =
      typeof doc.formatVersion === 'number' && doc.formatVersion > PROVISIONING_CONFIGURATION_VERSION;
    return [
      problem(
        'provisioning_configuration.unsupported_version',
        'formatVersion',
        newer
          ? `version ${String(doc.formatVersion)} was written by a newer Provisio; this one reads version ${PROVISIONING_CONFIGURATION_VERSION}. Upgrade Provisio, or export the configuration again from this installation.`
          : `must be ${PROVISIONING_CONFIGURATION_VERSION}, not ${JSON.stringify(doc.formatVersion)}. Export the configuration again.`,
      ),
    ];
  }
  if (checkDocument.Check(body)) return [];
  const raw = [...checkDocument.Errors(body)] as unknown as Parameters<typeof describeValidation>[0];
  return describeValidation(raw, 'body', provisioningConfigurationSchema as never).map((d) => {
    const target = (d.target ?? 'body').replace(/^body\/?/, '');
    const sentence = d.message
      .replace(/body((?:\/[A-Za-z0-9_$@:-]+)*)/g, (_m, path: string) => dottedPath(path) || 'the document')
      .replace(/the request body/g, 'the document');
    return { code: INVALID, target, message: sentence };
  });
}

function refusal(problems: ErrorDetail[]): AppError {
  const first = problems[0]?.message ?? '';
  const more =
    problems.length > 1
      ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''}, see details)`
      : '';
  return new AppError(
    INVALID,
    400,
    `The configuration was not imported; nothing was changed. ${first}${more}`,
    problems,
  );
}

/** Interval, job settings and the Settings section, old → new. */
function settingChanges(
  job: ProvisioningJobRecord,
  savedSecrets: Record<string, string>,
  settings: { values: Record<string, string>; intervalSeconds: number },
  secrets: Record<string, string>,
): ModifiedProperty[] {
  const out: ModifiedProperty[] = [];
  const push = (displayName: string, oldValue: string | null, newValue: string | null) => {
    if (oldValue !== newValue) out.push({ displayName, oldValue, newValue });
  };
  push('Interval', secondsToDuration(job.intervalSeconds), secondsToDuration(settings.intervalSeconds));
  for (const name of JOB_SETTING_NAMES) push(name, job.settings[name] ?? null, settings.values[name] ?? null);
  push('SyncAll', String(isTrue(savedSecrets.SyncAll)), secrets.SyncAll ?? null);
  push(
    'SkipOutOfScopeDeletions',
    String(isTrue(savedSecrets.SkipOutOfScopeDeletions)),
    secrets.SkipOutOfScopeDeletions ?? null,
  );
  const notifications = (text: string | undefined) => {
    const doc = readNotificationSecret(text);
    return doc === null ? null : JSON.stringify(doc);
  };
  push(
    'SyncNotificationSettings',
    notifications(savedSecrets.SyncNotificationSettings),
    notifications(secrets.SyncNotificationSettings),
  );
  return out;
}

/** App roles by id, old → new. */
function roleChanges(before: AppRole[], after: AppRole[]): ModifiedProperty[] {
  const out: ModifiedProperty[] = [];
  const old = new Map(before.map((r) => [r.id.toLowerCase(), r]));
  for (const role of after) {
    const was = old.get(role.id.toLowerCase());
    old.delete(role.id.toLowerCase());
    const oldValue = was ? describeRole(was) : null;
    const newValue = describeRole(role);
    const same = was !== undefined && JSON.stringify(cleanRole(was)) === JSON.stringify(cleanRole(role));
    if (!same) out.push({ displayName: `App role ${role.displayName}`, oldValue, newValue });
  }
  for (const role of old.values())
    out.push({ displayName: `App role ${role.displayName}`, oldValue: describeRole(role), newValue: null });
  return out;
}
