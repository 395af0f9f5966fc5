import type { Explanation, ServicePrincipal } from '@provisio/contracts';
import { cycleConfigurationHash, type ProvisioningJobRecord } from '@provisio/db';
import {
  applyMappingsForBoth,
  buildScopedGroupView,
  buildScopedUserView,
  classifyFailure,
  compileObjectMapping,
  decideTargetLookup,
  describeJobConfiguration,
  evaluateMatchingValues,
  explainObject,
  explainUnconfiguredJob,
  findGroupObjectMapping,
  findTargetObject,
  findUserObjectMapping,
  matchInPrecedence,
  planObjectAction,
  planReferenceChange,
  readJobOptions,
  referenceableTargetId,
  referencedSourceIds,
  relationEscrowId,
  unlessHeldByAnother,
  type CompiledObjectMapping,
  type EvaluationOptions,
  type ExplainInput,
  type ExplainReference,
  type MatchOutcome,
  type ObjectMapping,
} from '@provisio/engine';
import { ScimClient, ScimFailure, type ScimResource } from '@provisio/scim-client';
import { AppError } from '../errors';
import type { ServiceDeps } from './context';
import { checkedTransport, getJobOf } from './jobs-service';

/** How long Explain waits for the application's answer to its one lookup. */
const LOOKUP_TIMEOUT_MS = 10_000;

/**
 * Explain (an addition to Graph): whether the next cycle will provision a user or group, what it
 * will do and why not, computed now without running a cycle. The object's source view, scope,
 * mapped and matching values and the plan come from the same engine functions the worker calls;
 * the application is read once (the object by its kept link, or by its matching values), never
 * written to.
 */
export class ExplainService {
  constructor(private readonly deps: ServiceDeps) {}

  async explain(servicePrincipalId: string, jobId: string, objectId: string): Promise<Explanation> {
    const { db } = this.deps;
    const { sp, job } = await getJobOf(db, servicePrincipalId, jobId);
    const user = await db.directory.findUser(objectId);
    const group = user ? null : await db.directory.findGroup(objectId);
    if (!user && !group) {
      throw new AppError(
        'explain.object_not_found',
        404,
        `The directory has no user or group '${objectId}'. Pass the id of a user or group (objectId=…).`,
      );
    }
    const objectType = user ? 'User' : 'Group';
    const secrets = await db.jobs.getSecrets(job.id);
    if (!secrets.BaseAddress || !secrets.SecretToken) return explainUnconfiguredJob(sp.displayName);
    const options = readJobOptions(secrets, job.settings, {});
    const mapping = user ? userMapping(job) : findGroupObjectMapping(job.schema);
    if (!options.ok || !mapping) {
      return this.notPlannable(
        sp,
        objectType,
        !options.ok
          ? options.error.message
          : 'Groups are not provisioned: the group mapping is disabled (Provisioning > Mappings).',
      );
    }
    const compiled = compileObjectMapping(mapping, {
      targetObject: findTargetObject(job.schema.directories, mapping.targetObjectName),
    });
    if (!compiled.ok) {
      return this.notPlannable(sp, objectType, compiled.errors.map((e) => e.message).join(' '));
    }
    const m = compiled.mapping;
    const now = this.deps.now();
    const evaluation = { now, random: Math.random };
    const { view, scope, assignment, identity } = user
      ? await this.userSource(sp, user, options.options.syncAll, m)
      : await this.groupSource(sp, group!, options.options.syncAll, m);
    const matchingValues = evaluateMatchingValues(m, view, evaluation);
    const { forCreate, forUpdate } = applyMappingsForBoth(m, view, evaluation);
    const connector = (await db.connector.listObjectsBySourceIds(job.id, [objectId])).get(objectId) ?? null;
    const link = connector ? { state: connector.state, targetId: connector.targetId } : null;
    const referencesEscrowId = relationEscrowId(objectId, 'references');
    const escrows = await db.escrows.listEscrowsBySourceIds(job.id, [objectId, referencesEscrowId]);
    const escrow = escrows.get(objectId) ?? null;
    const referencesEscrow = escrows.get(referencesEscrowId) ?? null;
    const found = await this.lookup(
      secrets,
      objectType,
      sp.displayName,
      decideTargetLookup({ scope, connector: link, matchingValues }),
      link,
      matchingValues,
    );
    // As the cycle does: a target object that another source object holds would not be linked.
    const lookup =
      'match' in found
        ? {
            match: await unlessHeldByAnother(found.match, objectId, async (targetId) =>
              (await db.connector.listHoldersByTargetId(job.id, objectType)).get(targetId),
            ),
          }
        : found;
    const match: MatchOutcome = 'match' in lookup ? lookup.match : { kind: 'notLooked' };
    const plan = planObjectAction({
      scope,
      connector: link,
      match,
      matchingValues,
      desiredForCreate: forCreate.values,
      desiredForUpdate: forUpdate.values,
      mappingErrors: [...forCreate.errors, ...forUpdate.errors],
      ignoreObject: forCreate.ignoreObject || forUpdate.ignoreObject,
      caseExactByPath: m.caseExactByPath,
      appRoleFlows: m.appRoleFlows,
      requiredTargets: m.requiredTargets,
      flowTypes: m.flowTypes,
      skipOutOfScopeDeletions: options.options.skipOutOfScopeDeletions,
      outOfScope: objectType === 'User' ? 'disable' : 'delete',
    });
    const references =
      view && scope?.inScope ? await this.references(job.id, m, view, connector, evaluation) : [];
    const last = (await db.events.listProvisioningEvents({ jobId: job.id, sourceId: objectId }, { top: 1 }))
      .items[0];
    return explainObject({
      objectType,
      identity,
      appName: sp.displayName,
      job: {
        configured: true,
        active: job.scheduleState === 'Active',
        quarantine: job.status.quarantine,
        initialCycleDone: job.watermark !== null,
        // As the worker decides it: another fingerprint than the watermark's makes the next cycle initial.
        configurationChanged:
          job.watermark !== null &&
          job.configHash !== cycleConfigurationHash(describeJobConfiguration(job.schema, options.options)),
        cycleRunning: job.status.currentCycle != null,
      },
      view,
      scope,
      compiledScope: m.scope,
      assignment,
      matchingValues,
      missingRequired: m.requiredTargets.filter((t) => {
        const v = forCreate.values[t]?.value;
        return v === undefined || v === null || v === '';
      }),
      lookup,
      plan,
      escrow: escrow
        ? { attempts: escrow.attempts, nextAttemptAt: escrow.nextAttemptAt, reason: escrow.reason }
        : null,
      now: now.toISOString(),
      references,
      referencesEscrow: referencesEscrow ? { nextAttemptAt: referencesEscrow.nextAttemptAt } : null,
      lastEvent: last
        ? {
            activityDateTime: last.activityDateTime,
            action: last.provisioningAction,
            status: last.provisioningStatusInfo.status,
            reason: last.provisioningStatusInfo.errorInformation?.reason ?? null,
          }
        : null,
    });
  }

  private async userSource(
    sp: ServicePrincipal,
    user: NonNullable<Awaited<ReturnType<ServiceDeps['db']['directory']['findUser']>>>,
    syncAll: boolean,
    m: CompiledObjectMapping,
  ) {
    const { db } = this.deps;
    const entitlement = (await db.applications.listEntitlementsOf(sp.id, [user.id])).get(user.id) ?? null;
    const direct = await db.applications.findAssignmentOf(sp.id, user.id);
    const groupIds = await db.directory.listGroupIdsOfUsers([user.id]);
    const viaGroups = await db.applications.listGroupAssignmentsOf(sp.id, groupIds);
    const groups = (await db.directory.listGroupsByIds([...viaGroups.keys()])).map((g) => g.displayName);
    const { view, scope } = buildScopedUserView({
      user,
      entitlement,
      appRoles: sp.appRoles,
      syncAll,
      scope: m.scope,
    });
    const role = entitlement
      ? (sp.appRoles.find((r) => r.id === entitlement.appRoleId)?.displayName ?? null)
      : null;
    return {
      view,
      scope,
      identity: user.userPrincipalName,
      assignment: { direct: direct !== null, groups, role },
    };
  }

  private async groupSource(
    sp: ServicePrincipal,
    group: NonNullable<Awaited<ReturnType<ServiceDeps['db']['directory']['findGroup']>>>,
    syncAll: boolean,
    m: CompiledObjectMapping,
  ) {
    const { db } = this.deps;
    const assigned = (await db.applications.listGroupAssignmentsOf(sp.id, [group.id])).get(group.id) ?? null;
    const { view, scope } = buildScopedGroupView({
      group,
      entitlement: assigned,
      appRoles: sp.appRoles,
      syncAll,
      scope: m.scope,
    });
    const role = assigned
      ? (sp.appRoles.find((r) => r.id === assigned.appRoleId)?.displayName ?? null)
      : null;
    return {
      view,
      scope,
      identity: group.displayName,
      assignment: { direct: assigned !== null, groups: [], role },
    };
  }

  /** The object's references (a user's manager) as the references phase would plan them now. */
  private async references(
    jobId: string,
    m: CompiledObjectMapping,
    view: NonNullable<ExplainInput['view']>,
    connector: { lastExported: Record<string, unknown> } | null,
    evaluation: EvaluationOptions,
  ): Promise<ExplainReference[]> {
    const { db } = this.deps;
    const wanted = referencedSourceIds(m, view, evaluation);
    if (wanted.length === 0) return [];
    const ids = wanted.flatMap((w) => (w.referencedSourceId ? [w.referencedSourceId] : []));
    const records = await db.connector.listExportedNames(jobId, ids);
    const names = new Map((await db.directory.listUsersByIds(ids)).map((u) => [u.id, u.userPrincipalName]));
    return wanted.map((w) => {
      const held = connector?.lastExported[w.attribute];
      const referencedTargetId = w.referencedSourceId
        ? referenceableTargetId(records.get(w.referencedSourceId))
        : null;
      return {
        attribute: w.attribute,
        referenced: w.referencedSourceId
          ? { objectType: 'User', name: names.get(w.referencedSourceId) ?? w.referencedSourceId }
          : null,
        referencedTargetId,
        plan: planReferenceChange({
          referencedSourceId: w.referencedSourceId,
          referencedTargetId,
          heldTargetId: typeof held === 'string' ? held : null,
        }),
      };
    });
  }

  /** The one read-only lookup: by the kept link, else by the matching values in precedence order. */
  private async lookup(
    secrets: Record<string, string>,
    objectType: 'User' | 'Group',
    appName: string,
    how: ReturnType<typeof decideTargetLookup>,
    link: { state: string; targetId: string | null } | null,
    matchingValues: ExplainInput['matchingValues'],
  ): Promise<ExplainInput['lookup']> {
    if (how === 'none')
      return { notLooked: 'The cycle would not look the object up: it has nothing to send.' };
    const connections = checkedTransport(this.deps.targets);
    try {
      const client = new ScimClient({
        tenantUrl: secrets.BaseAddress ?? '',
        secretToken: secrets.SecretToken ?? '',
        timeoutMs: LOOKUP_TIMEOUT_MS,
        transport: connections.transport,
      });
      const get = (id: string) => (objectType === 'User' ? client.getUser(id) : client.getGroup(id));
      const find = (attribute: string, value: string): Promise<ScimResource[]> =>
        objectType === 'User' ? client.findUsers(attribute, value) : client.findGroupsBy(attribute, value);
      if (how === 'byLink' && link?.targetId) {
        try {
          const resource = await get(link.targetId);
          return { match: { kind: 'one', targetId: resource.id, resource, via: { kind: 'link' } } };
        } catch (error) {
          if (!(error instanceof ScimFailure) || error.kind !== 'notFound') throw error;
        }
      }
      return { match: await matchInPrecedence(matchingValues, find) };
    } catch (error) {
      if (error instanceof ScimFailure)
        return { failure: classifyFailure(error, { operation: 'lookup', appName }) };
      throw error;
    } finally {
      connections.close();
    }
  }

  /** The job cannot plan this object at all (its configuration): the answer says what to fix. */
  private notPlannable(sp: ServicePrincipal, objectType: 'User' | 'Group', reason: string): Explanation {
    return {
      willProvision: false,
      action: 'none',
      reason: `Provisioning of ${sp.displayName} cannot plan this ${objectType.toLowerCase()}: ${reason}`,
      recommendedAction: 'Fix the mappings or settings under Provisioning, then explain again.',
      checks: [{ name: 'Configuration', passed: false, detail: reason }],
    };
  }
}

function userMapping(job: ProvisioningJobRecord): ObjectMapping | null {
  const found = findUserObjectMapping(job.schema);
  return found.ok ? found.mapping : null;
}
