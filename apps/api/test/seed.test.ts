import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ACCESS_ROLE_ID } from '@provisio/contracts';
import { dataFiles, openProvisioDb, SecretBox, type ProvisioDb } from '@provisio/db';
import { findUserObjectMapping, validateSchema } from '@provisio/engine';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addressPart,
  EXPENSES_APP_NAME,
  isDirectoryEmpty,
  SAMPLE_APP_NAME,
  seedDemo,
  seededRandom,
} from '../src/seed/demo';
import {
  DEMO_REQUIRED_ATTRIBUTE,
  DEMO_SCOPING_FILTER,
  TROUBLESHOOTING_EXAMPLES,
} from '../src/seed/troubleshooting';

const dirs: string[] = [];
const dbs: ProvisioDb[] = [];
function freshDb(): ProvisioDb {
  const dir = mkdtempSync(join(tmpdir(), 'provisio-seed-'));
  dirs.push(dir);
  const db = openProvisioDb({ file: dataFiles(dir).database, secretBox: SecretBox.fromKey(randomBytes(32)) });
  dbs.push(db);
  return db;
}
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('seedDemo', () => {
  it('fills an empty directory with a believable company and two applications', async () => {
    const db = freshDb();
    expect(await isDirectoryEmpty(db)).toBe(true);
    const summary = await seedDemo(db, { scimUrl: 'http://127.0.0.1:4000/scim', scimToken: 'demo-token' });
    expect(await isDirectoryEmpty(db)).toBe(false);
    // 200 people, and the four who show the troubleshooting guide's problems (below).
    expect(summary.users).toBe(204);

    const all = (await db.directory.listUsers({ top: 1000 })).items;
    expect(all).toHaveLength(204);
    expect(new Set(all.map((u) => u.userPrincipalName)).size).toBe(204);
    const exampleIds = new Set(Object.values(summary.troubleshooting));
    const users = all.filter((u) => !exampleIds.has(u.id));
    expect(users).toHaveLength(200);
    for (const u of users) {
      expect(u.userPrincipalName).toMatch(/^[a-z0-9-]+\.[a-z0-9-]+\d*@contoso\.com$/);
      expect(u.mail).toBe(u.userPrincipalName);
      expect(u.employeeId).toMatch(/^\d{6}$/);
      expect(u.jobTitle).toBeTruthy();
    }
    expect(new Set(users.map((u) => u.userPrincipalName)).size).toBe(200);
    const departments = new Set(users.map((u) => u.department));
    expect(departments.size).toBeGreaterThanOrEqual(8);
    expect(departments.size).toBeLessThanOrEqual(10);
    expect(
      users.some((u) => u.displayName !== u.displayName.normalize('NFD').replace(/\p{Diacritic}/gu, '')),
    ).toBe(true);
    expect(users.filter((u) => u.managerId !== null).length).toBeGreaterThan(150);
    expect(users.some((u) => !u.accountEnabled)).toBe(true);

    const groups = (await db.directory.listGroups({ top: 100 })).items;
    expect(groups.length).toBeGreaterThanOrEqual(10);
    expect(groups.length).toBe(summary.groups);
    const sales = groups.find((g) => g.displayName === 'Sales')!;
    expect(sales.memberCount).toBe(20);
    expect(groups.every((g) => g.memberCount > 0)).toBe(true);

    const apps = (await db.applications.listServicePrincipals({ top: 10 })).items;
    expect(apps.map((a) => a.displayName).sort()).toEqual([EXPENSES_APP_NAME, SAMPLE_APP_NAME].sort());
    const sample = apps.find((a) => a.displayName === SAMPLE_APP_NAME)!;
    const assignments = await db.applications.listAssignmentsOf(sample.id);
    const direct = assignments.filter((a) => a.principalType === 'User');
    expect(direct.filter((a) => !exampleIds.has(a.principalId))).toHaveLength(12);
    // Listed by display name, the first three are provisioned like everyone (the specs change them).
    expect(direct.slice(0, 3).filter((a) => exampleIds.has(a.principalId))).toEqual([]);
    expect(assignments.filter((a) => a.principalType === 'Group').map((a) => a.principalId)).toEqual([
      sales.id,
    ]);
    expect(assignments.every((a) => a.appRoleId === DEFAULT_ACCESS_ROLE_ID)).toBe(true);
    const entitled = await db.applications.listEntitledUserIds(sample.id);
    expect([...entitled.keys()].filter((id) => !exampleIds.has(id))).toHaveLength(32);

    const [job] = await db.jobs.listJobsOf(sample.id);
    expect(job).toMatchObject({
      templateId: 'scim',
      statusCode: 'NotConfigured',
      scheduleState: 'Disabled',
      intervalSeconds: 2400,
    });
    expect(job!.id).toMatch(/^scim\.[0-9a-f]{32}$/);
    // Its scoping filter and the family name it requires, which the 200 meet and have.
    expect(validateSchema(job!.schema)).toEqual([]);
    const userMapping = findUserObjectMapping(job!.schema);
    expect(userMapping.ok && userMapping.mapping.scope?.groups).toEqual([
      { name: DEMO_SCOPING_FILTER.name, clauses: [DEMO_SCOPING_FILTER.clause] },
    ]);
    const required = job!.schema.directories
      .flatMap((d) => d.objects)
      .flatMap((o) => o.attributes)
      .filter((a) => a.required)
      .map((a) => a.name);
    expect(required).toEqual(['userName', DEMO_REQUIRED_ATTRIBUTE, 'displayName']);
    for (const u of users) {
      expect(u.userPrincipalName).toMatch(/^.*@contoso\.com$/);
      expect(u.surname).toBeTruthy();
    }
    expect(await db.jobs.getSecrets(job!.id)).toEqual({
      BaseAddress: 'http://127.0.0.1:4000/scim',
      SecretToken: 'demo-token',
    });

    // The troubleshooting examples: assigned (or not) and in their department's group as they say.
    const byId = new Map(all.map((u) => [u.id, u]));
    for (const example of TROUBLESHOOTING_EXAMPLES) {
      const id = summary.troubleshooting[example.problem];
      const { employee, ...fields } = example.user;
      expect(byId.get(id), example.problem).toMatchObject(fields);
      expect(byId.get(id)?.employeeId ?? null, example.problem).toEqual(
        employee ? expect.stringMatching(/^\d{6}$/) : null,
      );
      expect(
        direct.some((a) => a.principalId === id),
        example.problem,
      ).toBe(example.assigned);
      expect(entitled.has(id), example.problem).toBe(example.assigned);
      const group = groups.find((g) => g.displayName === example.user.department);
      const members = group ? (await db.directory.listMembers(group.id, { top: 1000 })).items : [];
      expect(
        members.some((m) => m.id === id),
        example.problem,
      ).toBe(example.inGroup);
    }
    expect(Object.keys(summary.troubleshooting).sort()).toEqual([
      'AccountDisabled',
      'NotAssigned',
      'OutOfScope',
      'RequiredAttributeMissing',
    ]);

    const expenses = apps.find((a) => a.displayName === EXPENSES_APP_NAME)!;
    expect(await db.jobs.listJobsOf(expenses.id)).toHaveLength(0);
    expect(await db.applications.listAssignmentsOf(expenses.id)).toHaveLength(0);
  });

  it('builds the same people from the same seed', async () => {
    const names = async (db: ProvisioDb) =>
      (await db.directory.listUsers({ top: 1000 })).items
        .map((u) => `${u.displayName}|${u.department}|${u.jobTitle}`)
        .sort();
    const a = freshDb();
    const b = freshDb();
    await seedDemo(a, { scimUrl: 'http://x/scim', scimToken: '', random: seededRandom(7) });
    await seedDemo(b, { scimUrl: 'http://x/scim', scimToken: '', random: seededRandom(7) });
    expect(await names(a)).toEqual(await names(b));
  });

  it('turns names into address parts', () => {
    expect(addressPart('Zoë')).toBe('zoe');
    expect(addressPart("O'Brien")).toBe('obrien');
    expect(addressPart('Søren')).toBe('soren');
    expect(addressPart('Żukowski')).toBe('zukowski');
    expect(addressPart('Núñez')).toBe('nunez');
  });
});
