import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  ProvisionOnDemandRequest,
  ProvisionOnDemandResponse,
  SynchronizationSchema,
} from '@provisio/contracts';
import type { OnDemandRequestRecord, OnDemandSubject } from '@provisio/db';
import { findGroupObjectMapping, toOnDemandKeyValue } from '@provisio/engine';
import { AppError, invalidField } from '../errors';
import type { RequestContext, ServiceDeps } from './context';
import { getJobOf } from './jobs-service';
import { writeTransaction } from './transaction';

/** Graph's limit for provisionOnDemand: 5 requests per 10 seconds per job. */
export const ON_DEMAND_RATE_LIMIT = { requests: 5, windowMs: 10_000 };
/** Entra says provisioning on demand typically completes in under 30 seconds. */
export const ON_DEMAND_TIMEOUT_MS = 30_000;
/** A request not claimed by then is never run, even if the wait ended early (a lost connection). */
const CLAIM_GRACE_MS = 5_000;

export interface OnDemandOptions {
  /** How long the API waits for a worker's answer. */
  timeoutMs: number;
  /** How often it looks at the database meanwhile. */
  pollMs: number;
}

/**
 * Provision on demand. The API never runs sync logic: it records the request (after checking it
 * and the rate limit), then waits, polling the database, for a worker to claim it and write the
 * result. A request no worker claimed within the wait is expired, so it never runs behind the
 * caller's back.
 */
export class OnDemandService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly options: OnDemandOptions,
  ) {}

  async provision(
    ctx: RequestContext,
    servicePrincipalId: string,
    jobId: string,
    body: ProvisionOnDemandRequest,
  ): Promise<ProvisionOnDemandResponse> {
    const { db } = this.deps;
    const { sp, job } = await getJobOf(db, servicePrincipalId, jobId);
    const parameters = body.parameters[0];
    if (!parameters) throw invalidField('body/parameters', 'body/parameters must hold one entry.');
    if (!job.schema.synchronizationRules.some((r) => r.id === parameters.ruleId)) {
      throw invalidField(
        'body/parameters/0/ruleId',
        `body/parameters/0/ruleId: the job has no synchronization rule '${parameters.ruleId}'. Use the id of a rule of GET …/jobs/{jobId}/schema (${job.schema.synchronizationRules.map((r) => r.id).join(', ')}).`,
        'provisioning_on_demand.rule_not_found',
      );
    }
    const subjects = await this.readSubjects(parameters.subjects, job.schema);
    if (!(await db.jobs.getSecrets(job.id)).BaseAddress) {
      throw new AppError(
        'provisioning_job.not_configured',
        400,
        `${sp.displayName} has no Tenant URL yet. Enter the Tenant URL and Secret Token under Admin Credentials, Test Connection and save; then provision on demand.`,
      );
    }

    const id = randomUUID();
    await writeTransaction(db, async (tx) => {
      const now = this.deps.now();
      const recent = await tx.onDemand.listRequestTimesSince(
        job.id,
        new Date(now.getTime() - ON_DEMAND_RATE_LIMIT.windowMs).toISOString(),
      );
      if (recent.length >= ON_DEMAND_RATE_LIMIT.requests) {
        const oldest = recent[recent.length - ON_DEMAND_RATE_LIMIT.requests] as string;
        const retryAfter = Math.max(
          1,
          Math.ceil((Date.parse(oldest) + ON_DEMAND_RATE_LIMIT.windowMs - now.getTime()) / 1000),
        );
        throw new AppError(
          'provisioning_on_demand.too_many_requests',
          429,
          `Provision on demand takes at most ${ON_DEMAND_RATE_LIMIT.requests} requests per ${ON_DEMAND_RATE_LIMIT.windowMs / 1000} seconds for a job. Try again in ${retryAfter} second(s).`,
          undefined,
          { 'retry-after': String(retryAfter) },
        );
      }
      await tx.onDemand.insertRequest({
        id,
        jobId: job.id,
        servicePrincipalId: sp.id,
        ruleId: parameters.ruleId,
        subjects,
        requestedBy: { id: ctx.actor.id, userName: ctx.actor.userName },
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + this.options.timeoutMs + CLAIM_GRACE_MS).toISOString(),
      });
    });

    const deadline = Date.now() + this.options.timeoutMs;
    for (;;) {
      const request = await db.onDemand.getRequest(id);
      if (request.status === 'Succeeded' || request.status === 'Failed') return this.answer(request);
      if (Date.now() >= deadline) break;
      await sleep(Math.min(this.options.pollMs, Math.max(1, deadline - Date.now())));
    }
    const seconds = Math.round(this.options.timeoutMs / 1000);
    if (await db.onDemand.expireRequest(id)) {
      const current = await db.jobs.findJob(job.id);
      const busy =
        current?.leaseOwner != null &&
        current.leaseExpiresAt !== null &&
        Date.parse(current.leaseExpiresAt) > Date.now();
      throw new AppError(
        'provisioning_on_demand.timeout',
        504,
        busy
          ? `No answer within ${seconds} seconds: a provisioning cycle of ${sp.displayName} is running (worker ${current.leaseOwner}), and provisioning on demand waits for it to finish. The request was cancelled; try again when the cycle has ended.`
          : `No worker answered within ${seconds} seconds, so the request was cancelled. A worker answers between cycles: if cycles of other applications are running, try again when they end; otherwise check that the Provisio worker process is running.`,
      );
    }
    const late = await db.onDemand.getRequest(id);
    if (late.status === 'Succeeded' || late.status === 'Failed') return this.answer(late);
    throw new AppError(
      'provisioning_on_demand.still_running',
      504,
      `The worker is still provisioning after ${seconds} seconds (the application may be slow or throttling). The outcome will be in the provisioning logs of ${sp.displayName}.`,
    );
  }

  /**
   * The subjects of a request: up to five users, or one group with up to five of its direct
   * members (`links.members`), as Graph takes them. Each is checked against the directory.
   */
  private async readSubjects(
    input: ProvisionOnDemandRequest['parameters'][number]['subjects'],
    schema: SynchronizationSchema,
  ): Promise<OnDemandSubject[]> {
    const { db } = this.deps;
    const subjects: OnDemandSubject[] = [];
    const hasGroup = input.some((s) => s.objectTypeName.toLowerCase() === 'group');
    if (hasGroup && input.length > 1) {
      throw invalidField(
        'body/parameters/0/subjects',
        'body/parameters/0/subjects: a request provisions one group at a time. Send the group alone, with its members under links.members.',
        'provisioning_on_demand.one_group_per_request',
      );
    }
    for (const [i, subject] of input.entries()) {
      const at = `body/parameters/0/subjects/${i}`;
      const type = subject.objectTypeName.toLowerCase();
      if (type === 'group') {
        subjects.push(await this.readGroupSubject(subject, at, schema));
        continue;
      }
      if (type !== 'user') {
        throw invalidField(
          `${at}/objectTypeName`,
          `${at}/objectTypeName must be User or Group, not '${subject.objectTypeName}'.`,
          'provisioning_on_demand.object_type_not_supported',
        );
      }
      if (!(await db.directory.findUser(subject.objectId))) {
        const other = await this.whatIs(subject.objectId);
        throw invalidField(
          `${at}/objectId`,
          other?.kind === 'group'
            ? `${at}/objectId: '${subject.objectId}' is the group ${other.name}, not a user. Set objectTypeName to Group to provision it.`
            : `${at}/objectId: the directory has no user '${subject.objectId}'. Pick a user from GET /api/v1.0/users.`,
          'provisioning_on_demand.user_not_found',
        );
      }
      if (subject.links?.members?.length) {
        throw invalidField(
          `${at}/links/members`,
          `${at}/links/members: only a group has members to provision with it. Remove links.members, or send the group as the subject (objectTypeName Group) with these users as its members.`,
          'provisioning_on_demand.members_of_user',
        );
      }
      if (!subjects.some((s) => s.objectId === subject.objectId))
        subjects.push({ objectId: subject.objectId, objectTypeName: 'User' });
    }
    return subjects;
  }

  private async readGroupSubject(
    subject: ProvisionOnDemandRequest['parameters'][number]['subjects'][number],
    at: string,
    schema: SynchronizationSchema,
  ): Promise<OnDemandSubject> {
    const { db } = this.deps;
    if (!findGroupObjectMapping(schema)) {
      throw invalidField(
        `${at}/objectTypeName`,
        `${at}/objectTypeName: groups are not provisioned by this job. Enable the group mapping under Provisioning > Mappings, then provision the group on demand.`,
        'provisioning_on_demand.group_mapping_disabled',
      );
    }
    const group = await db.directory.findGroup(subject.objectId);
    if (!group) {
      const other = await this.whatIs(subject.objectId);
      throw invalidField(
        `${at}/objectId`,
        other?.kind === 'user'
          ? `${at}/objectId: '${subject.objectId}' is the user ${other.name}, not a group. Set objectTypeName to User to provision it.`
          : `${at}/objectId: the directory has no group '${subject.objectId}'. Pick a group from GET /api/v1.0/groups.`,
        'provisioning_on_demand.group_not_found',
      );
    }
    const directMembers = new Set(await db.directory.listMemberIds(group.id));
    const members: string[] = [];
    for (const [k, member] of (subject.links?.members ?? []).entries()) {
      const where = `${at}/links/members/${k}`;
      const nested = "nested groups are not provisioned, only a group's direct user members";
      if (member.objectTypeName.toLowerCase() !== 'user') {
        throw invalidField(
          `${where}/objectTypeName`,
          `${where}/objectTypeName must be User: ${nested}.`,
          'provisioning_on_demand.object_type_not_supported',
        );
      }
      if (!directMembers.has(member.objectId))
        throw invalidField(
          `${where}/objectId`,
          await this.notAMember(member.objectId, group, where, nested),
          'provisioning_on_demand.not_a_member',
        );
      if (!members.includes(member.objectId)) members.push(member.objectId);
    }
    return { objectId: group.id, objectTypeName: 'Group', members };
  }

  /** Why `objectId` cannot be provisioned as a member of `group`: unknown, a group, or not a direct member. */
  private async notAMember(
    objectId: string,
    group: { id: string; displayName: string },
    where: string,
    nested: string,
  ): Promise<string> {
    const pick = `Pick members from GET /api/v1.0/groups/${group.id}/members.`;
    const other = await this.whatIs(objectId);
    if (other?.kind === 'user')
      return `${where}/objectId: the user ${other.name} is not a direct member of the group ${group.displayName}. ${pick}`;
    if (other?.kind === 'group')
      return `${where}/objectId: '${objectId}' is the group ${other.name}, not a user: ${nested}.`;
    return `${where}/objectId: the directory has no user '${objectId}'. ${pick}`;
  }

  /** What an id names in the directory (a user by its userPrincipalName, a group by its name), if anything. */
  private async whatIs(id: string): Promise<{ kind: 'user' | 'group'; name: string } | null> {
    const { db } = this.deps;
    const user = await db.directory.findUser(id);
    if (user) return { kind: 'user', name: user.userPrincipalName };
    const group = await db.directory.findGroup(id);
    return group ? { kind: 'group', name: group.displayName } : null;
  }

  private answer(request: OnDemandRequestRecord): ProvisionOnDemandResponse {
    const events = (request.results ?? []).flatMap((r) => (r.event ? [r.event] : []));
    if (events.length === 0) {
      const error = request.error ?? request.results?.find((r) => r.error)?.error ?? null;
      const internal = error?.code === 'InternalError';
      throw new AppError(
        internal ? 'provisioning_on_demand.internal_error' : 'provisioning_on_demand.failed',
        internal ? 500 : 400,
        error?.message ?? 'The user could not be provisioned.',
        error ? [{ code: error.code, message: error.message }] : undefined,
      );
    }
    const { key, value } = toOnDemandKeyValue(
      events,
      request.subjects.map((s) => s.objectId),
    );
    return {
      '@odata.type': '#microsoft.graph.stringKeyStringValuePair',
      key,
      value,
      provisioningEvents: events,
    };
  }
}
