import {
  DEFAULT_ACCESS_ROLE_ID,
  type FilterClause,
  type SynchronizationSchema,
  type UserCreate,
} from '@provisio/contracts';
import type { ProvisioDb } from '@provisio/db';
import { DEMO_DOMAIN } from './names';

/**
 * The problems of the troubleshooting guide ("no users are being provisioned") that one demo user
 * shows, each as the skip its event and Explain give:
 * - `NotAssigned`, `AccountDisabled`: not effectively entitled (NotEffectivelyEntitled);
 * - `OutOfScope`: a scoping filter keeps the user out;
 * - `RequiredAttributeMissing`: a required attribute has no value (MandatoryFieldsMissing).
 *
 * Not shown by a demo user, and why:
 * - the job's own state (no Tenant URL or Secret Token, credentials the application rejects,
 *   provisioning Off, quarantine) stops every object alike, so no one user can show it; Explain
 *   says it first for every user (the demo's provisioning is Off until someone starts it);
 * - an empty matching attribute: the demo matches users on userName from userPrincipalName, which
 *   every directory user has (the directory refuses a user without one);
 * - a group's empty matching property: groups are matched on displayName, and the directory
 *   refuses a group without one.
 */
export type DemoProblem = 'NotAssigned' | 'AccountDisabled' | 'OutOfScope' | 'RequiredAttributeMissing';

export interface TroubleshootingExample {
  problem: DemoProblem;
  /** The user; an `employee` gets the next employee id and their department's head as manager. */
  user: Omit<UserCreate, 'managerId' | 'employeeId'> & { employee: boolean };
  /** Assigned to the demo application directly. */
  assigned: boolean;
  /** A member of the group of the user's department. */
  inGroup: boolean;
}

/** The demo application's scoping filter: accounts of the company's own domain, not partners'. */
export const DEMO_SCOPING_FILTER: { readonly name: string; readonly clause: Readonly<FilterClause> } = {
  name: 'Contoso accounts',
  clause: {
    sourceOperandName: 'userPrincipalName',
    operatorName: 'REGEX MATCH',
    targetOperand: { values: [`.*@${DEMO_DOMAIN.replace(/\./g, '\\.')}`] },
  },
};

/** The target attribute the demo application requires besides userName: a family name. */
export const DEMO_REQUIRED_ATTRIBUTE = 'name.familyName';

/**
 * One user per problem a demo user can show (see `DemoProblem`), named like the people around them,
 * with what makes the problem visible in the Users list: a partner's domain, Account enabled No, a
 * single name. The first three direct assignments by display name are none of them, so the specs
 * that take "the first direct assignments" find people who are provisioned.
 */
export const TROUBLESHOOTING_EXAMPLES: readonly TroubleshootingExample[] = [
  {
    // Joined Sales, but is not in the Sales group yet: the group is how Sales gets the application.
    problem: 'NotAssigned',
    user: {
      userPrincipalName: `nomvula.dlamini@${DEMO_DOMAIN}`,
      displayName: 'Nomvula Dlamini',
      givenName: 'Nomvula',
      surname: 'Dlamini',
      mail: `nomvula.dlamini@${DEMO_DOMAIN}`,
      mailNickname: 'nomvula.dlamini',
      department: 'Sales',
      jobTitle: 'Sales Development Representative',
      accountEnabled: true,
      employee: true,
    },
    assigned: false,
    inGroup: false,
  },
  {
    // On leave: the account is disabled, the direct assignment stays.
    problem: 'AccountDisabled',
    user: {
      userPrincipalName: `ingrid.solberg@${DEMO_DOMAIN}`,
      displayName: 'Ingrid Solberg',
      givenName: 'Ingrid',
      surname: 'Solberg',
      mail: `ingrid.solberg@${DEMO_DOMAIN}`,
      mailNickname: 'ingrid.solberg',
      department: 'Marketing',
      jobTitle: 'Content Strategist',
      accountEnabled: false,
      employee: true,
    },
    assigned: true,
    inGroup: true,
  },
  {
    // A partner's account, assigned directly: the scoping filter keeps other domains out.
    problem: 'OutOfScope',
    user: {
      userPrincipalName: 'pieter.devries@fabrikam.com',
      displayName: 'Pieter de Vries (Fabrikam)',
      givenName: 'Pieter',
      surname: 'de Vries',
      mail: 'pieter.devries@fabrikam.com',
      mailNickname: 'pieter.devries',
      department: 'Sales',
      jobTitle: 'Partner Account Manager',
      accountEnabled: true,
      employee: false,
    },
    assigned: true,
    inGroup: false,
  },
  {
    // A person with one name: no surname for the family name the application requires.
    problem: 'RequiredAttributeMissing',
    user: {
      userPrincipalName: `wulandari@${DEMO_DOMAIN}`,
      displayName: 'Wulandari',
      givenName: 'Wulandari',
      surname: null,
      mail: `wulandari@${DEMO_DOMAIN}`,
      mailNickname: 'wulandari',
      department: 'Engineering',
      jobTitle: 'QA Engineer',
      accountEnabled: true,
      employee: true,
    },
    assigned: true,
    inGroup: true,
  },
];

/**
 * The demo job's schema: the template's, with the user mapping's scoping filter
 * (`DEMO_SCOPING_FILTER`, which every other demo user meets) and `DEMO_REQUIRED_ATTRIBUTE` required
 * by the application (every other demo user has a surname).
 */
export function demoJobSchema(schema: SynchronizationSchema): SynchronizationSchema {
  const next = structuredClone(schema);
  for (const rule of next.synchronizationRules) {
    for (const mapping of rule.objectMappings) {
      if (mapping.sourceObjectName !== 'User') continue;
      mapping.scope = {
        groups: [{ name: DEMO_SCOPING_FILTER.name, clauses: [structuredClone(DEMO_SCOPING_FILTER.clause)] }],
        inputFilterGroups: [],
        categoryFilterGroups: [],
      };
      const target = next.directories
        .find((d) => d.name === rule.targetDirectoryName)
        ?.objects.find((o) => o.name === mapping.targetObjectName);
      const attribute = target?.attributes.find((a) => a.name === DEMO_REQUIRED_ATTRIBUTE);
      if (!attribute) throw new Error(`The demo's target has no attribute ${DEMO_REQUIRED_ATTRIBUTE}.`);
      attribute.required = true;
    }
  }
  return next;
}

/**
 * Adds `TROUBLESHOOTING_EXAMPLES` to the demo directory: managed by their department's head, in its
 * group where the example says so, and assigned to `servicePrincipalId` directly where it says so.
 * Returns their ids by problem.
 */
export async function insertTroubleshootingExamples(
  db: ProvisioDb,
  context: {
    servicePrincipalId: string;
    heads: ReadonlyMap<string, string>;
    groups: ReadonlyMap<string, string>;
    nextEmployeeId: () => string;
  },
): Promise<Record<DemoProblem, string>> {
  const ids = {} as Record<DemoProblem, string>;
  for (const example of TROUBLESHOOTING_EXAMPLES) {
    const { employee, ...fields } = example.user;
    const department = fields.department ?? '';
    const user = await db.directory.insertUser({
      ...fields,
      employeeId: employee ? context.nextEmployeeId() : null,
      managerId: employee ? (context.heads.get(department) ?? null) : null,
    });
    const groupId = context.groups.get(department);
    if (example.inGroup && groupId) await db.directory.addMember(groupId, user.id);
    if (example.assigned) {
      await db.applications.insertAssignment({
        servicePrincipalId: context.servicePrincipalId,
        principalId: user.id,
        principalType: 'User',
        appRoleId: DEFAULT_ACCESS_ROLE_ID,
      });
    }
    ids[example.problem] = user.id;
  }
  return ids;
}
