import {
  synchronizationSchemaPutSchema,
  type AttributeDefinition,
  type AttributeMapping,
  type AttributeMappingFunctionSchema,
  type MappingChange,
  type ModifiedProperty,
  type ObjectMapping,
  type ParseExpressionRequest,
  type ParseExpressionResponse,
  type RestoreDefaultsRequest,
  type RestoreDefaultsResult,
  type ServicePrincipal,
  type SynchronizationSchema,
} from '@provisio/contracts';
import type { ProvisioDb, ProvisioningJobRecord } from '@provisio/db';
import { findSynchronizationTemplate } from '@provisio/gallery';
import {
  buildUserTestView,
  findUserObjectMapping,
  listMappingFunctions,
  normalizeSchema,
  previewExpression,
  sourceViewFromTestInput,
  validateSchema,
  withDirectoryExtensions,
  type SourceView,
} from '@provisio/engine';
import type { Static } from 'typebox';
import { Value } from 'typebox/value';
import { AppError, invalidField, type ErrorDetail } from '../errors';
import { recordAudit } from './audit';
import type { RequestContext, ServiceDeps } from './context';
import { getJobOf } from './jobs-service';
import { writeTransaction } from './transaction';

export type SchemaPut = Static<typeof synchronizationSchemaPutSchema>;

/** At most this many modified properties in one audit event; the rest are counted. */
export const MAX_AUDITED_CHANGES = 60;

/** One attribute mapping as an audit log reader wants to read it. */
function describeMapping(m: AttributeMapping): string {
  const source =
    m.source === null
      ? 'None'
      : m.source.type === 'Attribute'
        ? (m.source.expression ?? `[${m.source.name ?? ''}]`)
        : m.source.type === 'Constant'
          ? `Constant ${JSON.stringify(m.source.name ?? m.source.expression ?? '')}`
          : (m.source.expression ?? '');
  const notes = [
    m.matchingPriority > 0 ? `matching precedence ${m.matchingPriority}` : null,
    m.flowType === 'ObjectAddOnly' ? 'only during object creation' : null,
    m.defaultValue !== null ? `default ${JSON.stringify(m.defaultValue)}` : null,
  ].filter(Boolean);
  return notes.length > 0 ? `${source} (${notes.join(', ')})` : source;
}

function describeAttribute(a: AttributeDefinition): string {
  const flags = [
    a.required ? 'required' : null,
    a.multivalued ? 'multi-value' : null,
    a.caseExact ? 'exact case' : null,
  ].filter(Boolean);
  return [a.type, ...flags].join(', ');
}

const scopeText = (m: ObjectMapping): string =>
  (m.scope?.groups.length ?? 0) === 0 ? 'All records' : JSON.stringify(m.scope?.groups);

/**
 * What changed between two schemas, as audit modified properties: per object mapping its
 * Enabled flag, Target Object Actions, scope and each attribute mapping (keyed by target), and
 * the attributes added to or removed from each object's attribute list.
 */
export function describeSchemaChanges(
  before: SynchronizationSchema,
  after: SynchronizationSchema,
): ModifiedProperty[] {
  const out: ModifiedProperty[] = [];
  const push = (displayName: string, oldValue: string | null, newValue: string | null) => {
    if (oldValue !== newValue) out.push({ displayName, oldValue, newValue });
  };
  const mappingsOf = (s: SynchronizationSchema) => s.synchronizationRules.flatMap((r) => r.objectMappings);
  const oldMappings = new Map(mappingsOf(before).map((m) => [m.name, m]));
  for (const m of mappingsOf(after)) {
    const old = oldMappings.get(m.name);
    oldMappings.delete(m.name);
    push(`${m.name}: Enabled`, old ? String(old.enabled) : null, String(m.enabled));
    push(`${m.name}: Target Object Actions`, old ? old.flowTypes.join(', ') : null, m.flowTypes.join(', '));
    push(`${m.name}: Source Object Scope`, old ? scopeText(old) : null, scopeText(m));
    const oldRows = new Map(
      (old?.attributeMappings ?? []).map((a) => [a.targetAttributeName.toLowerCase(), a]),
    );
    for (const a of m.attributeMappings) {
      const key = a.targetAttributeName.toLowerCase();
      const was = oldRows.get(key);
      oldRows.delete(key);
      push(`${m.name}: ${a.targetAttributeName}`, was ? describeMapping(was) : null, describeMapping(a));
    }
    for (const a of oldRows.values()) push(`${m.name}: ${a.targetAttributeName}`, describeMapping(a), null);
  }
  for (const m of oldMappings.values()) push(m.name, 'present', null);

  const objectsOf = (s: SynchronizationSchema) =>
    new Map(s.directories.flatMap((d) => d.objects.map((o) => [`${d.name}/${o.name}`, o] as const)));
  const oldObjects = objectsOf(before);
  for (const [key, object] of objectsOf(after)) {
    const oldAttributes = new Map(
      (oldObjects.get(key)?.attributes ?? []).map((a) => [a.name.toLowerCase(), a]),
    );
    for (const a of object.attributes) {
      const was = oldAttributes.get(a.name.toLowerCase());
      oldAttributes.delete(a.name.toLowerCase());
      push(
        `Attribute list ${object.name}: ${a.name}`,
        was ? describeAttribute(was) : null,
        describeAttribute(a),
      );
    }
    for (const a of oldAttributes.values())
      push(`Attribute list ${object.name}: ${a.name}`, describeAttribute(a), null);
  }
  return out;
}

/** JSON with object keys sorted, so that two equal values give one text whatever their key order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A canonical text of what a schema configures (not its id or version), to tell a real change. */
function fingerprint(schema: SynchronizationSchema): string {
  return stableJson({ rules: schema.synchronizationRules, directories: schema.directories });
}

/** An audit modified property as a change the Restore default mappings confirmation lists. */
const toMappingChange = (p: ModifiedProperty): MappingChange => ({
  change: p.oldValue === null ? 'Added' : p.newValue === null ? 'Removed' : 'Changed',
  displayName: p.displayName,
  oldValue: p.oldValue,
  newValue: p.newValue,
});

const toDetail = (p: ReturnType<typeof validateSchema>[number]): ErrorDetail => ({ ...p });

/**
 * The schema of a provisioning job: attribute mappings, scope and the attribute lists (Graph's
 * `…/jobs/{jobId}/schema`), the functions of the expression language, and `parseExpression`
 * for the expression builder.
 */
export class SchemaService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The job's schema, its source User object listing the directory's extension attributes. */
  async get(servicePrincipalId: string, jobId: string): Promise<SynchronizationSchema> {
    const { db } = this.deps;
    return this.withExtensions(db, (await getJobOf(db, servicePrincipalId, jobId)).job.schema);
  }

  private async withExtensions(
    db: ProvisioDb,
    schema: SynchronizationSchema,
  ): Promise<SynchronizationSchema> {
    return withDirectoryExtensions(schema, await db.directoryExtensions.listExtensionProperties());
  }

  async functions(servicePrincipalId: string, jobId: string): Promise<AttributeMappingFunctionSchema[]> {
    await getJobOf(this.deps.db, servicePrincipalId, jobId);
    return listMappingFunctions();
  }

  /**
   * Saves the whole schema after checking every mapping (400 `schema.invalid`, one detail per
   * problem with its field and, for expressions, the position). A real change bumps `version`,
   * clears the watermark (the next cycle is an initial cycle, as in Entra), writes the audit event
   * "Update attribute mappings or scope" in the same transaction, and asks for a cycle now when
   * provisioning is on. Saving what is already saved changes nothing.
   */
  async put(ctx: RequestContext, servicePrincipalId: string, jobId: string, body: SchemaPut): Promise<void> {
    const { db } = this.deps;
    // An unknown application or job is a 404 before anything is said about the body.
    await getJobOf(db, servicePrincipalId, jobId);
    // Only the properties of the contract are kept: the schema is stored as sent.
    const cleaned = Value.Clean(synchronizationSchemaPutSchema, structuredClone(body)) as SchemaPut;
    const incoming = await this.normalized(db, jobId, cleaned);
    const problems = validateSchema(incoming);
    if (problems.length > 0) {
      const first = problems[0]?.message ?? '';
      const more =
        problems.length > 1
          ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''}, see details)`
          : '';
      throw new AppError(
        'schema.invalid',
        400,
        `${problems.length} problem${problems.length > 1 ? 's' : ''} in the attribute mappings: ${first}${more}`,
        problems.map(toDetail),
      );
    }
    await writeTransaction(db, async (tx) => {
      const { sp, job } = await getJobOf(tx, servicePrincipalId, jobId);
      if (cleaned.version !== undefined && cleaned.version !== job.schema.version) {
        throw new AppError(
          'schema.version_conflict',
          409,
          `The mappings of ${sp.displayName} were changed by someone else since you loaded them (version ${cleaned.version}, now ${job.schema.version}). Reload them and make your change again.`,
        );
      }
      await this.save(tx, ctx, sp, job, incoming, {});
    });
  }

  /**
   * Restore default mappings (our addition, Entra's check box of the same name): the gallery
   * template's mappings, scoping filters and attribute lists replace the job's, saved as `put` saves
   * a schema. With `preview` nothing changes; either way the answer lists what differs.
   */
  restoreDefaults(
    ctx: RequestContext,
    servicePrincipalId: string,
    jobId: string,
    body: RestoreDefaultsRequest,
  ): Promise<RestoreDefaultsResult> {
    const { db } = this.deps;
    return writeTransaction(db, async (tx) => {
      const { sp, job } = await getJobOf(tx, servicePrincipalId, jobId);
      const template = findSynchronizationTemplate(job.templateId);
      if (!template) {
        throw new AppError(
          'schema.template_not_found',
          400,
          `The gallery has no template '${job.templateId}' any more, so ${sp.displayName} has no default mappings to restore.`,
        );
      }
      const defaults = await this.withExtensions(tx, normalizeSchema(template.defaultSchema(job.id)));
      const current = await this.withExtensions(tx, normalizeSchema(job.schema));
      const changes = describeSchemaChanges(current, defaults).map(toMappingChange);
      const version =
        body.preview === true
          ? null
          : await this.save(tx, ctx, sp, job, defaults, { RestoredDefaults: job.templateId });
      return {
        applied: version !== null,
        templateId: job.templateId,
        version: version ?? job.schema.version,
        changes,
      };
    });
  }

  /**
   * Stores a checked schema inside the caller's transaction when it differs from the job's: bumps
   * `version`, clears the watermark, asks for a cycle now when provisioning is on, and writes
   * "Update attribute mappings or scope". Returns the new version, or null when nothing changed.
   */
  private async save(
    tx: ProvisioDb,
    ctx: RequestContext,
    sp: ServicePrincipal,
    job: ProvisioningJobRecord,
    incoming: SynchronizationSchema,
    details: Record<string, string>,
  ): Promise<string | null> {
    const { now } = this.deps;
    const stored = await this.store(tx, job, incoming);
    if (!stored) return null;
    const { version, changes } = stored;
    await recordAudit(tx, ctx, now(), {
      category: 'ProvisioningManagement',
      activity: 'Update attribute mappings or scope',
      operationType: 'Update',
      targets: [
        {
          id: sp.id,
          displayName: sp.displayName,
          type: 'ServicePrincipal',
          modifiedProperties: changes.slice(0, MAX_AUDITED_CHANGES),
        },
      ],
      additionalDetails: {
        JobId: job.id,
        SchemaVersion: version,
        ...details,
        ...(changes.length > MAX_AUDITED_CHANGES
          ? { MoreChanges: String(changes.length - MAX_AUDITED_CHANGES) }
          : {}),
      },
    });
    return version;
  }

  /**
   * Stores a checked schema inside the caller's transaction when it differs from the job's, without
   * an audit event (the caller writes the one that describes its whole change): bumps `version`,
   * clears the watermark and asks for a cycle now when provisioning is on. Returns the new version
   * and the changes, or null when nothing changed.
   */
  async store(
    tx: ProvisioDb,
    job: ProvisioningJobRecord,
    incoming: SynchronizationSchema,
  ): Promise<{ version: string; changes: ModifiedProperty[] } | null> {
    const { now } = this.deps;
    const changes = await this.changesFrom(tx, job, incoming);
    if (!changes) return null;
    const version = String((Number.parseInt(job.schema.version, 10) || 0) + 1);
    const active = job.scheduleState === 'Active';
    await tx.jobs.updateJob(job.id, {
      schema: { ...incoming, id: job.id, version },
      // Changed mappings or scope can change every object's values: start over with an initial cycle.
      watermark: null,
      ...(active ? { runRequestedAt: now().toISOString() } : {}),
    });
    return { version, changes };
  }

  /** What storing `incoming` would change in the job's schema, or null when it is what is saved. */
  async changesFrom(
    db: ProvisioDb,
    job: ProvisioningJobRecord,
    incoming: SynchronizationSchema,
  ): Promise<ModifiedProperty[] | null> {
    // Extension attributes the directory defined since the last save are not a change of the mappings.
    const before = await this.withExtensions(db, normalizeSchema(job.schema));
    if (fingerprint(before) === fingerprint(incoming)) return null;
    return describeSchemaChanges(before, incoming);
  }

  /**
   * What `put` would refuse in this schema, without saving it: the details of its 400
   * `schema.invalid`, none when it would be accepted. The portal's dialogs check their drafts
   * with it, so they apply the rules a cycle runs (`validateSchema`, the scoping filter compiler).
   */
  async validate(servicePrincipalId: string, jobId: string, body: SchemaPut): Promise<ErrorDetail[]> {
    const { db } = this.deps;
    await getJobOf(db, servicePrincipalId, jobId);
    const cleaned = Value.Clean(synchronizationSchemaPutSchema, structuredClone(body)) as SchemaPut;
    return validateSchema(await this.normalized(db, jobId, cleaned)).map(toDetail);
  }

  /** A schema as sent, normalized and with the directory's extension attributes, ready to check. */
  normalized(db: ProvisioDb, jobId: string, body: SchemaPut): Promise<SynchronizationSchema> {
    return this.withExtensions(
      db,
      normalizeSchema({
        id: jobId,
        version: '',
        synchronizationRules: body.synchronizationRules,
        directories: body.directories,
      }),
    );
  }

  /**
   * Graph's parseExpression: parses the expression and evaluates it against the test input —
   * typed properties, a directory user read as a cycle reads it (`testUserId`), or both (typed
   * values win). Parse and evaluation problems are part of the answer, not HTTP errors.
   */
  async parseExpression(
    servicePrincipalId: string,
    jobId: string,
    body: ParseExpressionRequest,
  ): Promise<ParseExpressionResponse> {
    const { db, now } = this.deps;
    const { sp, job } = await getJobOf(db, servicePrincipalId, jobId);
    let view: SourceView | null = null;
    if (body.testUserId !== undefined) {
      const user = await db.directory.findUser(body.testUserId);
      if (!user) {
        throw invalidField(
          'body/testUserId',
          `body/testUserId: there is no directory user '${body.testUserId}'. Search for the user by name and pick one.`,
          'expression.test_user_not_found',
        );
      }
      const mapping = findUserObjectMapping(job.schema);
      const syncAll = ((await db.jobs.getSecrets(job.id)).SyncAll ?? '').toLowerCase() === 'true';
      view = buildUserTestView({
        user,
        entitlement: await db.applications.findEntitlement(sp.id, user.id),
        appRoles: sp.appRoles,
        syncAll,
        objectMapping: mapping.ok ? mapping.mapping : null,
      }).view;
    }
    if (body.testInputObject) view = sourceViewFromTestInput(body.testInputObject.properties, view ?? {});
    return previewExpression({
      expression: body.expression,
      view,
      targetType: body.targetAttributeDefinition?.type ?? null,
      now: now(),
      // Guid() and RandomString() draw from it, as in a cycle.
      random: Math.random,
    });
  }
}
