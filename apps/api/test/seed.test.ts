import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ACCESS_ROLE_ID } from '@provisio/contracts';
import { dataFiles, openProvisioDb, SecretBox, type ProvisioDb } from '@provisio/db';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addressPart,
  EXPENSES_APP_NAME,
  isDirectoryEmpty,
  SAMPLE_APP_NAME,
  seedDemo,
  seededRandom,
} from '../src/seed/demo';

const dirs: string[] = [];
const dbs: ProvisioDb[] = [];
function freshDb(): ProvisioDb {
  const dir = mkdtempSync(join(tmpdir(), 'provisio-seed-'));
  dirs.push(dir);
  const db = openProvisioDb({ file: dataFiles(dir).database, secretBox: SecretBox.fromKey(randomBytes(32)) });
  dbs.push(db);
  return db;
}
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('seedDemo', () => {
  it('fills an empty directory with a believable company and two applications', () => {
    const db = freshDb();
    expect(isDirectoryEmpty(db)).toBe(true);
    const summary = seedDemo(db, { scimUrl: 'http://127.0.0.1:4000/scim', scimToken: 'demo-token' });
    expect(isDirectoryEmpty(db)).toBe(false);
    expect(summary.users).toBe(200);

    const users = db.directory.listUsers({ top: 1000 }).items;
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

    const groups = db.directory.listGroups({ top: 100 }).items;
    expect(groups.length).toBeGreaterThanOrEqual(10);
    expect(groups.length).toBe(summary.groups);
    const sales = groups.find((g) => g.displayName === 'Sales')!;
    expect(sales.memberCount).toBe(20);
    expect(groups.every((g) => g.memberCount > 0)).toBe(true);

    const apps = db.applications.listServicePrincipals({ top: 10 }).items;
    expect(apps.map((a) => a.displayName).sort()).toEqual([EXPENSES_APP_NAME, SAMPLE_APP_NAME].sort());
    const sample = apps.find((a) => a.displayName === SAMPLE_APP_NAME)!;
    const assignments = db.applications.listAssignmentsOf(sample.id);
    expect(assignments.filter((a) => a.principalType === 'User')).toHaveLength(12);
    expect(assignments.filter((a) => a.principalType === 'Group').map((a) => a.principalId)).toEqual([
      sales.id,
    ]);
    expect(assignments.every((a) => a.appRoleId === DEFAULT_ACCESS_ROLE_ID)).toBe(true);
    expect(db.applications.listEntitledUserIds(sample.id).size).toBe(32);

    const [job] = db.jobs.listJobsOf(sample.id);
    expect(job).toMatchObject({
      templateId: 'scim',
      statusCode: 'NotConfigured',
      scheduleState: 'Disabled',
      intervalSeconds: 2400,
    });
    expect(job!.id).toMatch(/^scim\.[0-9a-f]{32}$/);
    expect(db.jobs.getSecrets(job!.id)).toEqual({
      BaseAddress: 'http://127.0.0.1:4000/scim',
      SecretToken: 'demo-token',
    });

    const expenses = apps.find((a) => a.displayName === EXPENSES_APP_NAME)!;
    expect(db.jobs.listJobsOf(expenses.id)).toHaveLength(0);
    expect(db.applications.listAssignmentsOf(expenses.id)).toHaveLength(0);
  });

  it('builds the same people from the same seed', () => {
    const names = (db: ProvisioDb) =>
      db.directory
        .listUsers({ top: 1000 })
        .items.map((u) => `${u.displayName}|${u.department}|${u.jobTitle}`)
        .sort();
    const a = freshDb();
    const b = freshDb();
    seedDemo(a, { scimUrl: 'http://x/scim', scimToken: '', random: seededRandom(7) });
    seedDemo(b, { scimUrl: 'http://x/scim', scimToken: '', random: seededRandom(7) });
    expect(names(a)).toEqual(names(b));
  });

  it('turns names into address parts', () => {
    expect(addressPart('Zoë')).toBe('zoe');
    expect(addressPart("O'Brien")).toBe('obrien');
    expect(addressPart('Søren')).toBe('soren');
    expect(addressPart('Żukowski')).toBe('zukowski');
    expect(addressPart('Núñez')).toBe('nunez');
  });
});
