import { DEFAULT_ACCESS_ROLE_ID, type UserCreate } from '@provisio/contracts';
import { defaultAppRoles, type ProvisioDb } from '@provisio/db';
import { nonGalleryScimTemplate } from '@provisio/gallery';
import { DEFAULT_CYCLE_INTERVAL_SECONDS } from '../config';
import { insertJobFromTemplate } from '../services/jobs-service';
import { writeTransaction } from '../services/transaction';
import { DEMO_DOMAIN, FIRST_NAMES, LAST_NAMES } from './names';
import { demoJobSchema, insertTroubleshootingExamples, type DemoProblem } from './troubleshooting';

export { DEMO_DOMAIN };

/** A small, fast, seedable PRNG (mulberry32), so the demo directory is the same on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Department {
  name: string;
  size: number;
  head: string;
  titles: string[];
}

/** 200 people in nine departments; Sales has 20, the group assigned to the sample application. */
const DEPARTMENTS: Department[] = [
  {
    name: 'Operations',
    size: 28,
    head: 'Chief Operating Officer',
    titles: ['Operations Manager', 'Operations Analyst', 'Facilities Coordinator', 'Logistics Specialist'],
  },
  {
    name: 'Sales',
    size: 20,
    head: 'VP of Sales',
    titles: ['Account Executive', 'Sales Development Representative', 'Sales Manager', 'Sales Engineer'],
  },
  {
    name: 'Marketing',
    size: 22,
    head: 'Chief Marketing Officer',
    titles: ['Marketing Manager', 'Content Strategist', 'Product Marketing Manager', 'Marketing Analyst'],
  },
  {
    name: 'Engineering',
    size: 40,
    head: 'VP of Engineering',
    titles: [
      'Software Engineer',
      'Senior Software Engineer',
      'Engineering Manager',
      'Site Reliability Engineer',
      'QA Engineer',
    ],
  },
  {
    name: 'Finance',
    size: 18,
    head: 'Chief Financial Officer',
    titles: ['Financial Analyst', 'Accountant', 'Controller', 'Payroll Specialist'],
  },
  {
    name: 'Human Resources',
    size: 14,
    head: 'Head of People',
    titles: ['HR Business Partner', 'Recruiter', 'HR Generalist', 'Learning Specialist'],
  },
  {
    name: 'Legal',
    size: 10,
    head: 'General Counsel',
    titles: ['Corporate Counsel', 'Paralegal', 'Compliance Officer'],
  },
  {
    name: 'Customer Support',
    size: 30,
    head: 'Director of Customer Support',
    titles: [
      'Support Engineer',
      'Customer Success Manager',
      'Support Team Lead',
      'Technical Account Manager',
    ],
  },
  {
    name: 'IT',
    size: 18,
    head: 'IT Director',
    titles: ['Systems Administrator', 'Service Desk Analyst', 'Network Engineer', 'Security Analyst'],
  },
];

export const SAMPLE_APP_NAME = 'Sample SCIM App';
export const EXPENSES_APP_NAME = 'Contoso Expenses';

/** The ASCII form of a name part for an address: accents dropped, apostrophes and spaces removed. */
export function addressPart(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/ø/g, 'o')
    .replace(/Ø/g, 'O')
    .replace(/ß/g, 'ss')
    .replace(/[łŁ]/g, 'l')
    .replace(/[^A-Za-z0-9-]/g, '')
    .toLowerCase();
}

export interface DemoSummary {
  users: number;
  groups: number;
  applications: { id: string; displayName: string; jobId: string | null }[];
  /** The users that show the troubleshooting guide's problems in "Sample SCIM App", by problem. */
  troubleshooting: Record<DemoProblem, string>;
}

/**
 * Fills an empty directory with a believable company: 200 people in nine
 * departments with titles, employee ids and managers, a group per department
 * plus "Managers" and "Remote Workers", and two enterprise applications.
 * "Sample SCIM App" gets a provisioning job pointed at `scimUrl` with
 * `scimToken`, twelve users assigned directly and the Sales group;
 * provisioning stays off until someone starts it. "Contoso Expenses" has
 * nothing configured. Four more people each show one of the troubleshooting
 * guide's problems in "Sample SCIM App" (`TROUBLESHOOTING_EXAMPLES`): its job
 * has a scoping filter and requires a family name for them, which the 200 meet.
 *
 * @example await seedDemo(db, { scimUrl: 'http://127.0.0.1:4000/scim', scimToken: 'sample-token' })
 */
export function seedDemo(
  db: ProvisioDb,
  options: { scimUrl: string; scimToken: string; random?: () => number; cycleIntervalSeconds?: number },
): Promise<DemoSummary> {
  const random = options.random ?? seededRandom(20261101);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

  return writeTransaction(db, async (tx) => {
    const usedNames = new Set<string>();
    const usedUpns = new Set<string>();
    let employeeNumber = 100_000;

    const person = () => {
      for (;;) {
        const givenName = pick(FIRST_NAMES);
        const surname = pick(LAST_NAMES);
        const displayName = `${givenName} ${surname}`;
        if (usedNames.has(displayName)) continue;
        usedNames.add(displayName);
        let local = `${addressPart(givenName)}.${addressPart(surname)}`;
        for (let n = 2; usedUpns.has(local); n += 1)
          local = `${addressPart(givenName)}.${addressPart(surname)}${n}`;
        usedUpns.add(local);
        return { givenName, surname, displayName, local };
      }
    };
    const insert = async (
      department: string,
      jobTitle: string,
      managerId: string | null,
      accountEnabled = true,
    ) => {
      const p = person();
      employeeNumber += 1;
      const input: UserCreate = {
        userPrincipalName: `${p.local}@${DEMO_DOMAIN}`,
        displayName: p.displayName,
        givenName: p.givenName,
        surname: p.surname,
        mail: `${p.local}@${DEMO_DOMAIN}`,
        mailNickname: p.local,
        department,
        jobTitle,
        employeeId: String(employeeNumber),
        accountEnabled,
        managerId,
      };
      return tx.directory.insertUser(input);
    };

    const chiefExecutive = await insert('Operations', 'Chief Executive Officer', null);
    const heads = new Map<string, string>();
    const members = new Map<string, string[]>();
    const managers: string[] = [chiefExecutive.id];
    const everyone: { id: string; department: string }[] = [
      { id: chiefExecutive.id, department: 'Operations' },
    ];
    members.set('Operations', [chiefExecutive.id]);

    for (const dept of DEPARTMENTS) {
      const head = await insert(dept.name, dept.head, chiefExecutive.id);
      heads.set(dept.name, head.id);
      managers.push(head.id);
      const list = members.get(dept.name) ?? [];
      list.push(head.id);
      everyone.push({ id: head.id, department: dept.name });
      const remaining = dept.size - list.length;
      for (let i = 0; i < remaining; i += 1) {
        // Most people report to their department head; a few have no manager on record, as in real directories.
        const managerId = random() < 0.88 ? head.id : null;
        const u = await insert(dept.name, pick(dept.titles), managerId, random() > 0.015);
        list.push(u.id);
        everyone.push({ id: u.id, department: dept.name });
      }
      members.set(dept.name, list);
    }

    let groups = 0;
    const groupIds = new Map<string, string>();
    for (const dept of DEPARTMENTS) {
      const group = await tx.directory.insertGroup({
        displayName: dept.name,
        description: `Everyone in the ${dept.name} department.`,
        mailNickname: addressPart(dept.name.replace(/\s+/g, '-')),
        securityEnabled: true,
      });
      groups += 1;
      groupIds.set(dept.name, group.id);
      for (const id of members.get(dept.name) ?? []) await tx.directory.addMember(group.id, id);
    }
    const managersGroup = await tx.directory.insertGroup({
      displayName: 'Managers',
      description: 'Department heads and the executive team.',
      mailNickname: 'managers',
      securityEnabled: true,
    });
    for (const id of managers) await tx.directory.addMember(managersGroup.id, id);
    const remote = await tx.directory.insertGroup({
      displayName: 'Remote Workers',
      description: 'People who work from home most of the week.',
      mailNickname: 'remote-workers',
      securityEnabled: true,
    });
    for (const { id } of everyone) if (random() < 0.12) await tx.directory.addMember(remote.id, id);
    groups += 2;

    const sample = await tx.applications.insertServicePrincipal({
      displayName: SAMPLE_APP_NAME,
      applicationTemplateId: nonGalleryScimTemplate.id,
      appRoles: defaultAppRoles(),
      notes:
        'The SCIM 2.0 application bundled with Provisio. Start provisioning to see its accounts follow the directory.',
    });
    const job = await insertJobFromTemplate(
      tx,
      sample.id,
      'scim',
      options.cycleIntervalSeconds ?? DEFAULT_CYCLE_INTERVAL_SECONDS,
    );
    await tx.jobs.updateJob(job.id, { schema: demoJobSchema(job.schema) });
    await tx.jobs.setSecrets(job.id, { BaseAddress: options.scimUrl, SecretToken: options.scimToken });

    const salesId = groupIds.get('Sales')!;
    const candidates = everyone.filter((u) => u.department !== 'Sales' && u.id !== chiefExecutive.id);
    const direct = new Set<string>();
    while (direct.size < 12 && direct.size < candidates.length) direct.add(pick(candidates).id);
    for (const principalId of direct) {
      await tx.applications.insertAssignment({
        servicePrincipalId: sample.id,
        principalId,
        principalType: 'User',
        appRoleId: DEFAULT_ACCESS_ROLE_ID,
      });
    }
    await tx.applications.insertAssignment({
      servicePrincipalId: sample.id,
      principalId: salesId,
      principalType: 'Group',
      appRoleId: DEFAULT_ACCESS_ROLE_ID,
    });

    const expenses = await tx.applications.insertServicePrincipal({
      displayName: EXPENSES_APP_NAME,
      applicationTemplateId: nonGalleryScimTemplate.id,
      appRoles: defaultAppRoles(),
      notes: null,
    });

    // After every random draw, so the 200 people and their assignments stay as they were.
    const troubleshooting = await insertTroubleshootingExamples(tx, {
      servicePrincipalId: sample.id,
      heads,
      groups: groupIds,
      nextEmployeeId: () => String((employeeNumber += 1)),
    });

    return {
      users: everyone.length + Object.keys(troubleshooting).length,
      groups,
      applications: [
        { id: sample.id, displayName: sample.displayName, jobId: job.id },
        { id: expenses.id, displayName: expenses.displayName, jobId: null },
      ],
      troubleshooting,
    };
  });
}

/** Whether the directory is still empty (no users, no groups, no applications): only then is the demo seeded. */
export async function isDirectoryEmpty(db: ProvisioDb): Promise<boolean> {
  return (
    (await db.directory.listUsers({ top: 1, includeDeleted: true })).items.length === 0 &&
    (await db.directory.listGroups({ top: 1, includeDeleted: true })).items.length === 0 &&
    (await db.applications.listServicePrincipals({ top: 1 })).items.length === 0
  );
}
