import type { TargetCheckFinding, TargetCheckSeverity } from '@provisio/contracts';
import {
  buildAddMembersPatch,
  buildDisablePatch,
  buildRemoveMembersPatch,
  buildUpdatePatch,
  equalityFilter,
  quoteFilterValue,
  RFC_PATCH_FLAG,
  SCHEMA,
  ScimFailure,
  type ProbeAnswer,
  type ScimClient,
  type ScimDialect,
} from '@provisio/scim-client';

/** What the check needs to know about the job: what its cycles will ask of the application. */
export interface TargetCheckPlan {
  /** The user mapping's matching attributes (target names), in precedence order. */
  userMatching: string[];
  /** The group mapping's matching attributes; empty when groups are not provisioned. */
  groupMatching: string[];
  /** Whether the group mapping is enabled: a target without groups then fails every group. */
  groupsMapped: boolean;
  /** Whether the user mapping writes attributes of the enterprise extension. */
  usesEnterprise: boolean;
  /** The PATCH forms the job sends (the Tenant URL's aadOptscim062020 flag). */
  dialect: ScimDialect;
}

export interface TargetProbeOptions {
  /** A short random tag that names the test objects (`provisio-check-<tag>`). */
  tag: string;
  /** A value no object has, for lookups that must find nothing. */
  absentValue: string;
  /** The whole check stops starting probes after this; the clean-up still runs. */
  budgetMs: number;
  /** Longest wait for a Retry-After before a probe is tried again. */
  maxRetryWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface TargetProbeOutcome {
  findings: TargetCheckFinding[];
  requests: number;
}

/** Ends the probes early: nothing more can be learned (no connection, refused credentials, throttled). */
class StopCheck extends Error {}

const ENTERPRISE = SCHEMA.enterpriseUser;
const SEVERITY_ORDER: Record<TargetCheckSeverity, number> = { error: 0, warning: 1, info: 2 };
const FLAG_FIX = `enable the \`${RFC_PATCH_FLAG}\` flag: append ?${RFC_PATCH_FLAG} to the Tenant URL (Admin Credentials), test and save`;
const NO_FLAG_FIX = `remove the \`${RFC_PATCH_FLAG}\` flag from the Tenant URL (Admin Credentials), test and save`;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const ok = (a: ProbeAnswer): boolean => a.status >= 200 && a.status < 300;
const capitalize = (text: string) => `${text[0]!.toUpperCase()}${text.slice(1)}`;

/** The target's own words from an error answer: its SCIM `detail` and `scimType`, or the start of the text. */
function said(a: ProbeAnswer): string {
  if (isRecord(a.json)) {
    const parts = [a.json.scimType, a.json.detail].filter((p) => typeof p === 'string' && p !== '');
    if (parts.length > 0) return `${a.status} (${parts.join(': ')})`;
  }
  const text = a.text.replace(/\s+/g, ' ').trim().slice(0, 160);
  return text === '' ? String(a.status) : `${a.status} (${text})`;
}

function resourcesOf(a: ProbeAnswer): unknown[] | null {
  if (!isRecord(a.json)) return null;
  if (Array.isArray(a.json.Resources)) return a.json.Resources as unknown[];
  return a.json.totalResults === 0 ? [] : null;
}

function filterFor(attribute: string, value: string): string {
  try {
    return equalityFilter(attribute, value);
  } catch {
    // A value path (`emails[type eq "work"].value`) is sent as the cycle's lookups send it.
    return `${attribute} eq ${quoteFilterValue(value)}`;
  }
}

const query = (params: Record<string, string | number>) =>
  '?' +
  Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
}

/**
 * The target conformance check's probes: read-only requests, and test requests on a test user and
 * a test group it creates (named `provisio-check-<tag>`) and removes at the end, even when a probe
 * fails midway. Each probe adds findings with a severity and the fix. The check's own pace: a 429 is
 * waited for (Retry-After, at most a few seconds) and tried twice more, a 5xx once more.
 */
export class TargetProbes {
  readonly #findings = new Map<string, TargetCheckFinding>();
  readonly #durations: number[] = [];
  #requests = 0;
  #throttled = 0;
  #throttledWithoutRetryAfter = 0;
  #serverErrors: string[] = [];
  #inconclusive: string[] = [];
  #userId: string | null = null;
  #extraUserIds: string[] = [];
  #groupId: string | null = null;
  #groupsAbsent = false;
  readonly #started = performance.now();
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #userName: string;
  readonly #externalId: string;
  readonly #groupName: string;

  constructor(
    private readonly client: ScimClient,
    private readonly plan: TargetCheckPlan,
    private readonly options: TargetProbeOptions,
  ) {
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#externalId = `provisio-check-${options.tag}`;
    this.#userName = `provisio-check-${options.tag}@provisio-check.invalid`;
    this.#groupName = `provisio-check-${options.tag} (test group, safe to delete)`;
  }

  /** Runs every probe, then the clean-up and the summary findings; never throws. */
  async run(): Promise<TargetProbeOutcome> {
    const steps: [string, () => Promise<void>][] = [
      ['matching filters', () => this.filters()],
      ['discovery', () => this.discovery()],
      ['user creation', () => this.createUser()],
      ['duplicate creation', () => this.duplicate()],
      ['user lookup and paging', () => this.lookupAndPaging()],
      ['PATCH', () => this.patch()],
      ['disabling a user', () => this.disable()],
      ['groups', () => this.groups()],
      ['error bodies', () => this.errorBody()],
    ];
    try {
      for (const [name, step] of steps) {
        if (performance.now() - this.#started > this.options.budgetMs) {
          this.#inconclusive.push(...steps.slice(steps.findIndex(([n]) => n === name)).map(([n]) => n));
          break;
        }
        await step();
      }
    } catch (error) {
      if (!(error instanceof StopCheck)) throw error;
    } finally {
      await this.cleanUp();
    }
    this.summarize();
    const findings = [...this.#findings.values()].sort(
      (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
    );
    return { findings, requests: this.#requests };
  }

  // ---- probes ----

  /** Test Connection's lookup on each matching attribute: 200 with an empty list, as a cycle's matching needs. */
  private async filters(): Promise<void> {
    const attributes = this.plan.userMatching.length > 0 ? this.plan.userMatching : ['userName'];
    for (const [index, attribute] of attributes.entries()) {
      const filter = filterFor(attribute, this.options.absentValue);
      const a = await this.send('GET', `/Users${query({ filter })}`, { first: index === 0 });
      if (a === null) continue;
      const list = ok(a) ? resourcesOf(a) : null;
      if (ok(a) && list !== null && list.length === 0) {
        this.add(
          'info',
          `filter.${attribute}`,
          `Users can be matched on ${attribute}`,
          `GET /Users?filter=${filter} answered 200 with an empty list, as matching needs.`,
          '',
        );
      } else if (ok(a) && list !== null) {
        this.add(
          'error',
          `filter.${attribute}`,
          `The application ignores filters on ${attribute}`,
          `GET /Users?filter=${filter}, a value no user has, returned ${list.length} user(s): matching would link directory users to the wrong accounts.`,
          `Make the application apply \`${attribute} eq "…"\` filters (RFC 7644 §3.4.2.2), or match users on another attribute (Provisioning > Mappings > the attribute > Match objects using this attribute).`,
        );
      } else if (ok(a)) {
        this.add(
          'error',
          `filter.${attribute}`,
          `The application does not answer a filter on ${attribute} with a list`,
          `GET /Users?filter=${filter} answered ${a.status} without a SCIM ListResponse (totalResults, Resources).`,
          'Answer filtered GETs with a ListResponse; an empty result is {"totalResults":0,"Resources":[]}.',
        );
      } else {
        this.add(
          'error',
          `filter.${attribute}`,
          `The application refuses filters on ${attribute}`,
          `GET /Users?filter=${filter} answered ${said(a)}. Every cycle looks users up this way before it creates or updates them, so every user would fail.`,
          `Make the application accept \`${attribute} eq "…"\` filters, or match users on an attribute it can filter on (Provisioning > Mappings > the attribute > Match objects using this attribute).`,
        );
      }
    }
  }

  private async discovery(): Promise<void> {
    const spc = await this.send('GET', '/ServiceProviderConfig');
    if (spc !== null) {
      const body = isRecord(spc.json) ? spc.json : null;
      const patch = body && isRecord(body.patch) ? body.patch.supported : undefined;
      const type = spc.headers.get('content-type') ?? '';
      if (ok(spc) && body) {
        this.add(
          'info',
          'discovery.serviceProviderConfig',
          'ServiceProviderConfig is served',
          `GET /ServiceProviderConfig answered 200${patch === undefined ? '' : `; it says PATCH is ${patch === true ? '' : 'not '}supported`}.`,
          '',
        );
        if (patch === false) {
          this.add(
            'warning',
            'discovery.patch',
            'The application says it does not support PATCH',
            'ServiceProviderConfig has "patch": {"supported": false}. Provisio sends PATCH for every update, disable and group membership.',
            'Implement PATCH (RFC 7644 §3.5.2) in the application.',
          );
        }
        if (!/application\/(scim\+)?json/i.test(type)) {
          this.add(
            'warning',
            'discovery.contentType',
            'Answers are not labelled as SCIM JSON',
            `GET /ServiceProviderConfig answered with Content-Type "${type || 'none'}".`,
            'Send Content-Type: application/scim+json on SCIM answers.',
          );
        }
      } else {
        this.add(
          'warning',
          'discovery.serviceProviderConfig',
          'ServiceProviderConfig is not served',
          `GET /ServiceProviderConfig answered ${said(spc)}. Provisioning works without it, but tools and administrators cannot see what the application supports.`,
          'Serve GET /ServiceProviderConfig (RFC 7644 §4).',
        );
      }
    }
    const schemas = await this.send('GET', '/Schemas');
    if (schemas !== null) {
      const list = ok(schemas) ? resourcesOf(schemas) : null;
      if (list === null) {
        this.add(
          'warning',
          'discovery.schemas',
          'Schemas are not served',
          `GET /Schemas answered ${said(schemas)}. The target attribute list cannot be discovered from the application.`,
          'Serve GET /Schemas (RFC 7644 §4) listing the User, Group and extension schemas the application takes.',
        );
      } else {
        const ids = list.map((s) => (isRecord(s) ? String(s.id) : '')).filter(Boolean);
        this.add(
          'info',
          'discovery.schemas',
          'Schemas are served',
          `GET /Schemas lists ${ids.join(', ') || 'no schema'}.`,
          '',
        );
        if (this.plan.usesEnterprise && !ids.some((id) => id.toLowerCase() === ENTERPRISE.toLowerCase())) {
          this.add(
            'warning',
            'discovery.enterprise',
            'The enterprise extension is not listed',
            `The user mappings write attributes of ${ENTERPRISE}, but GET /Schemas does not list it.`,
            'Enable the enterprise extension in the application, or remove the mappings to its attributes (department, employeeNumber, manager…) in Provisioning > Mappings.',
          );
        }
      }
    }
    const types = await this.send('GET', '/ResourceTypes');
    if (types !== null) {
      const list = ok(types) ? resourcesOf(types) : null;
      if (list === null) {
        this.add(
          'warning',
          'discovery.resourceTypes',
          'ResourceTypes are not served',
          `GET /ResourceTypes answered ${said(types)}.`,
          'Serve GET /ResourceTypes (RFC 7644 §4) listing User and, when the application has groups, Group.',
        );
        return;
      }
      const names = list.map((t) => (isRecord(t) ? String(t.name ?? t.id ?? '') : '')).filter(Boolean);
      this.add(
        'info',
        'discovery.resourceTypes',
        'ResourceTypes are served',
        `GET /ResourceTypes lists ${names.join(', ') || 'nothing'}.`,
        '',
      );
      if (!names.some((n) => n.toLowerCase() === 'group')) this.#groupsAbsent = true;
    }
  }

  /** POST /Users in the shape a cycle sends; with the enterprise extension when the mappings use it. */
  private async createUser(): Promise<void> {
    const core = {
      schemas: [SCHEMA.user],
      externalId: this.#externalId,
      userName: this.#userName,
      active: true,
      displayName: 'Provisio target check (test user, safe to delete)',
      name: { formatted: 'Provisio Check', givenName: 'Provisio', familyName: 'Check' },
      emails: [{ primary: true, type: 'work', value: this.#userName }],
      meta: { resourceType: 'User' },
    };
    const withExtension = this.plan.usesEnterprise
      ? {
          ...core,
          schemas: [SCHEMA.user, ENTERPRISE],
          [ENTERPRISE]: { department: 'Provisio target check', employeeNumber: this.options.tag },
        }
      : core;
    let a = await this.send('POST', '/Users', { body: withExtension });
    if (a === null) return;
    if (!ok(a) && a.status === 400 && this.plan.usesEnterprise) {
      const refused = a;
      a = await this.send('POST', '/Users', { body: core });
      if (a === null) return;
      if (ok(a)) {
        this.add(
          'error',
          'users.enterpriseExtension',
          'The application refuses the enterprise extension',
          `POST /Users with ${ENTERPRISE} (department, employeeNumber) answered ${said(refused)}; the same user without it was created. Every user the mappings give an enterprise attribute would fail.`,
          'Enable the enterprise extension in the application, or remove the mappings to its attributes (department, employeeNumber, manager…) in Provisioning > Mappings.',
        );
      }
    }
    const id = ok(a) && isRecord(a.json) ? a.json.id : undefined;
    if (ok(a) && (typeof id === 'string' || typeof id === 'number') && String(id) !== '') {
      this.#userId = String(id);
      this.add(
        'info',
        'users.create',
        'Users can be created',
        `POST /Users answered ${a.status} with the new user's id.`,
        '',
      );
      if (this.plan.usesEnterprise && !this.#findings.has('users.enterpriseExtension')) {
        this.add(
          'info',
          'users.enterpriseExtension',
          'The enterprise extension is accepted',
          `POST /Users with ${ENTERPRISE} was accepted.`,
          '',
        );
      }
    } else if (ok(a)) {
      this.add(
        'error',
        'users.create',
        'A created user comes back without an id',
        `POST /Users answered ${a.status} but its body has no "id".`,
        'Answer POST /Users with 201 and the created resource, including its id (RFC 7644 §3.3).',
      );
    } else {
      this.add(
        'error',
        'users.create',
        'The application refuses to create a user',
        `POST /Users (the shape a cycle sends) answered ${said(a)}. No user can be provisioned.`,
        'Read the answer above: make the application accept the request, or change the mappings that produce the refused attribute.',
      );
    }
  }

  private async duplicate(): Promise<void> {
    if (this.#userId === null) return;
    const a = await this.send('POST', '/Users', {
      body: { schemas: [SCHEMA.user], userName: this.#userName, externalId: this.#externalId, active: true },
    });
    if (a === null) return;
    if (a.status === 409) {
      this.add(
        'info',
        'users.duplicate',
        'A duplicate user is refused with 409',
        'Creating the test user a second time answered 409 Conflict, as matching and retries expect.',
        '',
      );
    } else if (ok(a)) {
      const id = isRecord(a.json) ? a.json.id : undefined;
      if (typeof id === 'string' || typeof id === 'number') this.#extraUserIds.push(String(id));
      this.add(
        'error',
        'users.duplicate',
        'The application creates duplicate users',
        `Creating a user with an existing userName answered ${a.status}: a second account was made. A retried creation would leave duplicates.`,
        'Make userName unique and answer 409 Conflict with scimType "uniqueness" (RFC 7644 §3.3).',
      );
    } else {
      this.add(
        'warning',
        'users.duplicate',
        'A duplicate user is not answered with 409',
        `Creating a user with an existing userName answered ${said(a)}.`,
        'Answer 409 Conflict with scimType "uniqueness" (RFC 7644 §3.3), so a duplicate is recognised as one.',
      );
    }
  }

  private async lookupAndPaging(): Promise<void> {
    if (this.#userId !== null) {
      const filter = filterFor('userName', this.#userName);
      const a = await this.send('GET', `/Users${query({ filter })}`);
      const list = a !== null && ok(a) ? resourcesOf(a) : null;
      if (a !== null && list !== null && list.length === 1) {
        this.add(
          'info',
          'users.lookup',
          'A user is found by userName',
          `GET /Users?filter=${filter} found the test user.`,
          '',
        );
      } else if (a !== null && list !== null) {
        this.add(
          'error',
          'users.lookup',
          'A user is not found by userName',
          `GET /Users?filter=${filter} returned ${list.length} users instead of the test user.`,
          'Make `userName eq "…"` filters return exactly the users with that userName (case-insensitively).',
        );
      }
    }
    const page = await this.send('GET', `/Users${query({ startIndex: 1, count: 1 })}`);
    if (page === null) return;
    const list = ok(page) ? resourcesOf(page) : null;
    const total = isRecord(page.json) ? page.json.totalResults : undefined;
    if (list === null) {
      this.add(
        'warning',
        'paging',
        'Users cannot be listed a page at a time',
        `GET /Users?startIndex=1&count=1 answered ${said(page)}.`,
        'Support startIndex and count on GET /Users (RFC 7644 §3.4.2.4).',
      );
    } else if (list.length > 1) {
      this.add(
        'warning',
        'paging',
        'The application ignores count',
        `GET /Users?startIndex=1&count=1 returned ${list.length} users.`,
        'Return at most count resources per page (RFC 7644 §3.4.2.4); large directories otherwise come back in one answer.',
      );
    } else if (typeof total !== 'number') {
      this.add(
        'warning',
        'paging',
        'Pages carry no totalResults',
        'GET /Users?startIndex=1&count=1 has no numeric totalResults.',
        'Include totalResults in every ListResponse.',
      );
    } else {
      this.add(
        'info',
        'paging',
        'Users can be listed a page at a time',
        `GET /Users?startIndex=1&count=1 returned one page (totalResults ${total}).`,
        '',
      );
    }
  }

  /**
   * PATCH as the job sends it (Entra's default form, or the aadOptscim062020 form), one change per
   * request to name the path refused; a refused change is tried in the other form to tell whether
   * the flag would help. Then the other form once, for information, and a read to see the change.
   */
  private async patch(): Promise<void> {
    if (this.#userId === null) return;
    const path = `/Users/${encodeURIComponent(this.#userId)}`;
    const { dialect } = this.plan;
    const other: ScimDialect = dialect === 'entra' ? 'rfc' : 'entra';
    const formName = (d: ScimDialect) =>
      d === 'entra' ? "Entra's default form" : `the ${RFC_PATCH_FLAG} form`;
    const changes = [
      { path: 'displayName', value: 'Provisio target check (patched)' },
      { path: 'name.familyName', value: 'Checked' },
      { path: 'emails[type eq "work"].value', value: this.#userName },
    ];
    let refused = 0;
    let takenInOtherForm = 0;
    for (const change of changes) {
      const body = buildUpdatePatch(dialect, [change]);
      const a = await this.send('PATCH', path, { body });
      if (a === null) return;
      if (a.status === 405 || a.status === 501) {
        this.add(
          'error',
          'patch.supported',
          'The application does not support PATCH',
          `PATCH ${path} answered ${said(a)}. Every update, disable and group membership change is a PATCH, so none of them would work.`,
          'Implement PATCH (RFC 7644 §3.5.2) in the application.',
        );
        return;
      }
      if (ok(a)) continue;
      refused += 1;
      const retry = await this.send('PATCH', path, { body: buildUpdatePatch(other, [change]) });
      if (retry !== null && ok(retry)) takenInOtherForm += 1;
      const fix =
        retry !== null && ok(retry)
          ? `${capitalize(other === 'rfc' ? FLAG_FIX : NO_FLAG_FIX)}: the application takes ${formName(other)}.`
          : change.path.includes('[')
            ? `Make the application accept the value-filter path \`${change.path}\` in PATCH (RFC 7644 §3.5.2), or remove the mapping to it.`
            : `Make the application accept PATCH of \`${change.path}\` in ${formName(dialect)}.`;
      this.add(
        'error',
        `patch.path.${change.path}`,
        `The application rejects \`${change.path}\` in PATCH`,
        `${JSON.stringify(body.Operations[0])} answered ${said(a)}; updates of the attribute mapped there would fail.`,
        fix,
      );
    }
    if (refused === 0) {
      this.add(
        'info',
        `patch.${dialect}`,
        `PATCH in ${formName(dialect)} works`,
        'Changes of a plain path, a sub-attribute and a value-filter path were accepted.',
        '',
      );
    } else {
      this.add(
        'error',
        `patch.${dialect}`,
        `PATCH in ${formName(dialect)} fails`,
        `${refused} of ${changes.length} changes were refused (see each path).`,
        takenInOtherForm === refused
          ? `${capitalize(other === 'rfc' ? FLAG_FIX : NO_FLAG_FIX)}: the application takes ${formName(other)}.`
          : 'See the fix of each refused path.',
      );
    }
    const last = 'Provisio target check (patched twice)';
    const b = await this.send('PATCH', path, {
      body: buildUpdatePatch(other, [
        { path: 'displayName', value: last },
        { path: 'name.givenName', value: 'Provisio' },
      ]),
    });
    if (b === null) return;
    this.add(
      'info',
      `patch.${other}`,
      ok(b) ? `${capitalize(formName(other))} works too` : `${capitalize(formName(other))} is refused`,
      ok(b)
        ? `The ${other === 'rfc' ? 'flag' : 'default'} form was accepted as well.`
        : `It answered ${said(b)}; the Tenant URL is right as it is.`,
      '',
    );
    const after = await this.send('GET', path);
    if (after !== null && ok(after) && isRecord(after.json) && ok(b) && refused === 0) {
      if (after.json.displayName !== last) {
        this.add(
          'error',
          'patch.applied',
          'PATCH is answered but not applied',
          `After the PATCHes were accepted, GET ${path} shows displayName ${JSON.stringify(after.json.displayName)}.`,
          'Apply PATCH operations before answering 200/204.',
        );
      }
    }
  }

  /** A disable as the job sends it, then a read to see that the user is inactive. */
  private async disable(): Promise<void> {
    if (this.#userId === null || this.#findings.has('patch.supported')) return;
    const path = `/Users/${encodeURIComponent(this.#userId)}`;
    const form =
      this.plan.dialect === 'entra'
        ? '{"op":"Replace","path":"active","value":"False"}'
        : '{"op":"replace","path":"active","value":false}';
    const a = await this.send('PATCH', path, { body: buildDisablePatch(this.plan.dialect) });
    if (a === null) return;
    if (!ok(a)) {
      const other: ScimDialect = this.plan.dialect === 'entra' ? 'rfc' : 'entra';
      const b = await this.send('PATCH', path, { body: buildDisablePatch(other) });
      const fix =
        b !== null && ok(b)
          ? `${capitalize(other === 'rfc' ? FLAG_FIX : NO_FLAG_FIX)}: the application takes the other form.`
          : 'Make the application accept a PATCH of active to false (a boolean, or the string "False").';
      this.add(
        'error',
        'users.disable',
        'Users cannot be disabled',
        `${form} answered ${said(a)}. Users leaving scope, disabled or deleted would stay active in the application.`,
        fix,
      );
      return;
    }
    const read = await this.send('GET', path);
    if (read === null) return;
    const active = ok(read) && isRecord(read.json) ? read.json.active : undefined;
    if (active === false || (typeof active === 'string' && active.toLowerCase() === 'false')) {
      this.add(
        'info',
        'users.disable',
        'Users can be disabled',
        `${form} was accepted and the user reads back inactive.`,
        '',
      );
    } else if (active === undefined) {
      this.add(
        'warning',
        'users.disable',
        'Whether a user is active cannot be read',
        `After ${form}, GET ${path} has no "active" attribute.`,
        'Return active on GET /Users/{id}.',
      );
    } else {
      this.add(
        'error',
        'users.disable',
        'The application ignores active',
        `${form} was accepted, but the user still reads back active: ${JSON.stringify(active)}. Disabled users would keep their access.`,
        'Apply a PATCH of active to false (accept the string "False" as Entra-style clients send it, or enable the flag).',
      );
    }
  }

  /** Group create, lookup, membership add and remove, in the shapes a cycle sends. */
  private async groups(): Promise<void> {
    const noGroups = (detail: string) =>
      this.add(
        this.plan.groupsMapped ? 'error' : 'info',
        'groups.supported',
        this.plan.groupsMapped
          ? 'Group provisioning will not work: the application has no groups'
          : 'The application has no groups',
        `${detail}${this.plan.groupsMapped ? ' Every assigned group would fail.' : ' Group provisioning is off in the mappings, so nothing fails.'}`,
        this.plan.groupsMapped
          ? 'Turn group provisioning off (Provisioning > Mappings > the group mapping > Enabled: No) and assign users instead of groups, or enable groups in the application.'
          : '',
      );
    if (this.#groupsAbsent) {
      noGroups('GET /ResourceTypes does not list a Group resource type.');
      return;
    }
    const schemas = this.plan.dialect === 'entra' ? [SCHEMA.group, SCHEMA.legacyGroup] : [SCHEMA.group];
    const a = await this.send('POST', '/Groups', {
      body: {
        schemas,
        externalId: this.#externalId,
        displayName: this.#groupName,
        meta: { resourceType: 'Group' },
      },
    });
    if (a === null) return;
    if (a.status === 404 || a.status === 501) {
      noGroups(`POST /Groups answered ${said(a)}.`);
      return;
    }
    const id = ok(a) && isRecord(a.json) ? a.json.id : undefined;
    if (!ok(a) || (typeof id !== 'string' && typeof id !== 'number')) {
      this.add(
        this.plan.groupsMapped ? 'error' : 'warning',
        'groups.create',
        'The application refuses to create a group',
        `POST /Groups (an empty group, as a cycle creates it) answered ${ok(a) ? `${a.status} without an id` : said(a)}.`,
        'Accept POST /Groups with displayName and externalId and answer 201 with the group and its id.',
      );
      return;
    }
    this.#groupId = String(id);
    this.add('info', 'groups.create', 'Groups can be created', `POST /Groups answered ${a.status}.`, '');
    for (const attribute of this.plan.groupMatching.length > 0 ? this.plan.groupMatching : ['displayName']) {
      const filter = filterFor(attribute, attribute === 'displayName' ? this.#groupName : this.#externalId);
      const found = await this.send('GET', `/Groups${query({ excludedAttributes: 'members', filter })}`);
      const list = found !== null && ok(found) ? resourcesOf(found) : null;
      if (found === null) continue;
      if (list !== null && list.length === 1)
        this.add(
          'info',
          `filter.group.${attribute}`,
          `Groups can be matched on ${attribute}`,
          `GET /Groups?excludedAttributes=members&filter=${filter} found the test group.`,
          '',
        );
      else
        this.add(
          'error',
          `filter.group.${attribute}`,
          `Groups cannot be matched on ${attribute}`,
          `GET /Groups?excludedAttributes=members&filter=${filter} answered ${list === null ? said(found) : `${list.length} groups instead of the test group`}.`,
          `Make the application accept \`${attribute} eq "…"\` filters on groups, together with excludedAttributes=members.`,
        );
    }
    if (this.#userId === null || this.#findings.has('patch.supported')) return;
    const path = `/Groups/${encodeURIComponent(this.#groupId)}`;
    const add = await this.send('PATCH', path, {
      body: buildAddMembersPatch(this.plan.dialect, [this.#userId]),
    });
    if (add === null) return;
    if (!ok(add)) {
      this.add(
        'error',
        'groups.members',
        'Members cannot be added to a group',
        `{"op":"${this.plan.dialect === 'entra' ? 'Add' : 'add'}","path":"members","value":[{"value":"…"}]} answered ${said(add)}.`,
        'Accept PATCH add of members (many per request) on groups.',
      );
      return;
    }
    const remove = await this.send('PATCH', path, {
      body: buildRemoveMembersPatch(this.plan.dialect, [this.#userId]),
    });
    if (remove === null) return;
    if (ok(remove)) {
      this.add(
        'info',
        'groups.members',
        'Group members can be added and removed',
        'PATCH add and remove of a member were accepted.',
        '',
      );
      return;
    }
    const form =
      this.plan.dialect === 'entra'
        ? '{"op":"Remove","path":"members","value":[{"value":"…"}]}'
        : '{"op":"remove","path":"members[value eq \\"…\\"]"}';
    // The other form, with the member added back first so that its removal can be seen.
    const other: ScimDialect = this.plan.dialect === 'entra' ? 'rfc' : 'entra';
    const retry = await this.send('PATCH', path, { body: buildRemoveMembersPatch(other, [this.#userId]) });
    const fix =
      retry !== null && ok(retry)
        ? `${capitalize(other === 'rfc' ? FLAG_FIX : NO_FLAG_FIX)}: the application takes the other form of member removal.`
        : 'Accept PATCH removal of members (RFC 7644 §3.5.2.2).';
    this.add(
      'error',
      'groups.members',
      'Members cannot be removed from a group',
      `${form} answered ${said(remove)}; users leaving a group would stay members.`,
      fix,
    );
  }

  private async errorBody(): Promise<void> {
    const path = `/Users/${encodeURIComponent(this.options.absentValue)}`;
    const a = await this.send('GET', path);
    if (a === null) return;
    if (ok(a)) {
      this.add(
        'error',
        'errors.notFound',
        'A user that does not exist is found',
        `GET ${path} (an id no user has) answered ${a.status}.`,
        'Answer 404 for an id that does not exist; a cycle relies on it to notice accounts deleted in the application.',
      );
      return;
    }
    const body = isRecord(a.json) ? a.json : null;
    const schemas = body && Array.isArray(body.schemas) ? (body.schemas as unknown[]) : [];
    if (a.status === 404 && schemas.includes(SCHEMA.error)) {
      this.add(
        'info',
        'errors.body',
        'Errors are SCIM error bodies',
        `GET ${path} answered 404 with a SCIM error (${SCHEMA.error}).`,
        '',
      );
    } else {
      this.add(
        'warning',
        'errors.body',
        'Errors are not SCIM error bodies',
        `GET ${path} answered ${said(a)} without the SCIM error schema. Provisioning logs show less of what went wrong.`,
        `Answer errors with {"schemas":["${SCHEMA.error}"],"status":"404","detail":"…"} (RFC 7644 §3.12).`,
      );
    }
  }

  // ---- clean-up and summary ----

  private async cleanUp(): Promise<void> {
    const left: string[] = [];
    const remove = async (kind: 'Users' | 'Groups', id: string, what: string) => {
      try {
        const a = await this.send('DELETE', `/${kind}/${encodeURIComponent(id)}`, { cleanUp: true });
        if (a !== null && (ok(a) || a.status === 404)) return;
        left.push(`${what} (id ${id}${a === null ? '' : `: DELETE answered ${said(a)}`})`);
      } catch (error) {
        left.push(`${what} (id ${id}: ${(error as Error).message})`);
      }
    };
    const created = this.#groupId !== null || this.#userId !== null;
    if (this.#groupId !== null) await remove('Groups', this.#groupId, `the test group "${this.#groupName}"`);
    for (const id of [this.#userId, ...this.#extraUserIds]) {
      if (id !== null) await remove('Users', id, `the test user ${this.#userName}`);
    }
    if (left.length > 0) {
      this.add(
        'warning',
        'cleanup',
        'Test objects were left in the application',
        `Could not remove ${left.join('; ')}.`,
        'Delete them in the application; their names start with provisio-check-.',
      );
    } else if (created) {
      this.add(
        'info',
        'cleanup',
        'The test objects were removed',
        `The test user${this.#groupId === null ? '' : ' and group'} (named provisio-check-${this.options.tag}) were deleted.`,
        '',
      );
    }
  }

  private summarize(): void {
    if (this.#throttled > 0) {
      const storm = this.#throttled * 2 >= this.#requests;
      if (storm) {
        this.add(
          'error',
          'rateLimit',
          'The application throttles almost every request',
          `${this.#throttled} of ${this.#requests} requests were answered 429 Too Many Requests, even after waiting as asked. A cycle would crawl and end in escrows.`,
          "Raise the application's rate limit for Provisio's token; Entra expects a gallery application to sustain 25 requests per second.",
        );
      } else {
        this.add(
          'info',
          'rateLimit',
          'The application throttles with 429',
          `${this.#throttled} of ${this.#requests} requests were answered 429; Provisio slows down and retries as asked.`,
          '',
        );
      }
      if (this.#throttledWithoutRetryAfter > 0) {
        this.add(
          'warning',
          'rateLimit.retryAfter',
          '429 answers carry no Retry-After',
          `${this.#throttledWithoutRetryAfter} answers 429 had no Retry-After header, so Provisio must guess how long to wait.`,
          'Send Retry-After (seconds) with every 429.',
        );
      }
    } else if (this.#requests > 0) {
      this.add(
        'info',
        'rateLimit',
        'No throttling during the check',
        `None of the ${this.#requests} requests was answered 429.`,
        '',
      );
    }
    if (this.#serverErrors.length > 0) {
      this.add(
        'error',
        'errors.server',
        'The application answers with server errors',
        `${this.#serverErrors.length} of ${this.#requests} requests failed with a server error: ${[...new Set(this.#serverErrors)].slice(0, 3).join('; ')}.`,
        "Look at the application's server logs for these requests; Provisio retries them, then holds the objects in escrow.",
      );
    }
    const sorted = [...this.#durations].sort((a, b) => a - b);
    if (sorted.length > 0) {
      const median = percentile(sorted, 0.5);
      const slowest = sorted[sorted.length - 1]!;
      const detail = `Median ${median} ms, slowest ${slowest} ms over ${sorted.length} answers.`;
      if (median > 1000)
        this.add(
          'warning',
          'latency',
          'The application answers slowly',
          `${detail} A cycle of 10,000 users needs at least ${Math.ceil((median * 20_000) / 3_600_000)} hours at this pace.`,
          'Speed up the SCIM endpoint (lookups by userName should be indexed).',
        );
      else this.add('info', 'latency', 'Answers come quickly', detail, '');
    }
    if (this.#inconclusive.length > 0) {
      this.add(
        'warning',
        'check.incomplete',
        'Some checks could not be run',
        `Not checked: ${[...new Set(this.#inconclusive)].join(', ')}.`,
        'Fix the findings above and run the check again.',
      );
    }
  }

  // ---- sending ----

  /**
   * One probe request. 429 is waited for and tried twice more, 5xx once more; a network failure
   * ends the check. Returns null (and notes the probe as not checked) when the answer stayed a 429
   * or a 5xx. `first`: the check's first request, whose refusal says the credentials or the
   * address are wrong.
   */
  private async send(
    method: string,
    path: string,
    options: { body?: unknown; first?: boolean; cleanUp?: boolean } = {},
  ): Promise<ProbeAnswer | null> {
    const maxWait = this.options.maxRetryWaitMs ?? 3000;
    let throttledTries = 0;
    let serverTries = 0;
    for (;;) {
      let a: ProbeAnswer;
      try {
        this.#requests += 1;
        a = await this.client.probe(method, path, options.body === undefined ? {} : { body: options.body });
      } catch (error) {
        if (!(error instanceof ScimFailure) || options.cleanUp) throw error;
        this.connectionFailed(error, options.first === true);
        throw new StopCheck();
      }
      this.#durations.push(a.durationMs);
      if (a.status === 429) {
        this.#throttled += 1;
        const header = a.headers.get('retry-after');
        if (header === null) this.#throttledWithoutRetryAfter += 1;
        if (throttledTries < 2) {
          throttledTries += 1;
          const seconds = Number(header);
          await this.#sleep(
            Math.min(maxWait, Number.isFinite(seconds) && header !== null ? seconds * 1000 : 1000),
          );
          continue;
        }
        this.#inconclusive.push(`${method} ${path.split('?')[0]}`);
        if (options.cleanUp) return a;
        throw new StopCheck();
      }
      if (a.status >= 500 && a.status !== 501) {
        this.#serverErrors.push(`${method} ${path.split('?')[0]} → ${said(a)}`);
        if (serverTries < 1) {
          serverTries += 1;
          continue;
        }
        if (options.cleanUp) return a;
        if (options.first) {
          this.add(
            'error',
            'connection',
            'The application fails with server errors',
            `The first lookup (${method} ${path}) answered ${said(a)} twice.`,
            "Look at the application's server logs; run the check again once it answers.",
          );
          throw new StopCheck();
        }
        this.#inconclusive.push(`${method} ${path.split('?')[0]}`);
        return null;
      }
      if (options.first) this.firstAnswer(a, method, path);
      return a;
    }
  }

  private firstAnswer(a: ProbeAnswer, method: string, path: string): void {
    if (a.status === 401 || a.status === 403) {
      this.add(
        'error',
        'connection',
        'The application refuses the Secret Token',
        `${method} ${path} answered ${said(a)}.`,
        'Enter a valid Secret Token under Admin Credentials (one the application issued for provisioning, with rights to manage users and groups), Test Connection and save.',
      );
      throw new StopCheck();
    }
    if (a.status === 404 && !isRecord(a.json)) {
      this.add(
        'error',
        'connection',
        'The Tenant URL does not lead to a SCIM endpoint',
        `${method} ${this.client.baseUrl}${path.split('?')[0]} answered ${said(a)}.`,
        'Check the Tenant URL: it is the SCIM base address, the one /Users is appended to (often ending in /scim or /scim/v2).',
      );
      throw new StopCheck();
    }
    this.add(
      'info',
      'connection',
      'The application answers with these credentials',
      `${method} ${path.split('?')[0]} answered ${a.status} at ${this.client.baseUrl}.`,
      '',
    );
  }

  private connectionFailed(failure: ScimFailure, first: boolean): void {
    if (failure.kind === 'refused') {
      this.add(
        'error',
        'connection',
        'Provisio does not send the Secret Token to this address',
        failure.message,
        'Use an https:// Tenant URL on a public address, or ask an administrator to allow the host with PROVISIO_TARGET_ALLOW.',
      );
    } else if (first) {
      this.add(
        'error',
        'connection',
        'The application cannot be reached',
        failure.message,
        'Check the Tenant URL, and that the application is running and reachable from this server.',
      );
    } else {
      this.add(
        'warning',
        'check.incomplete',
        'The check stopped: the application stopped answering',
        failure.message,
        'Run the check again; if it recurs, see whether the application times out or drops connections under load.',
      );
    }
  }

  private add(severity: TargetCheckSeverity, id: string, title: string, detail: string, fix: string): void {
    const existing = this.#findings.get(id);
    if (existing && SEVERITY_ORDER[existing.severity] <= SEVERITY_ORDER[severity]) return;
    this.#findings.set(id, { id, severity, title, detail, fix });
  }
}
