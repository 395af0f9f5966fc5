import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DELETED_USER_DAYS,
  deletedUserPurgeAuditEvent,
  deletedUserPurgeCutoff,
  permanentDeletionDateTime,
} from './deleted-users';

describe('deleted users', () => {
  it('keep 30 days by default, as in Entra', () => {
    expect(DEFAULT_DELETED_USER_DAYS).toBe(30);
  });

  it.each([
    ['2025-01-01T00:00:00.000Z', 30, '2025-01-31T00:00:00.000Z'],
    ['2025-02-20T10:30:00.000Z', 14, '2025-03-06T10:30:00.000Z'],
    ['2024-12-31T23:59:59.999Z', 1, '2025-01-01T23:59:59.999Z'],
  ])('deleted at %s, kept %i days: deleted for good at %s', (deleted, days, expected) => {
    expect(permanentDeletionDateTime(deleted, days)).toBe(expected);
  });

  it('are due when deleted before now minus their days', () => {
    expect(deletedUserPurgeCutoff(new Date('2025-01-31T00:00:00.000Z'), 30).toISOString()).toBe(
      '2025-01-01T00:00:00.000Z',
    );
  });

  it('leave a "Hard delete user" audit event initiated by the provisioning service', () => {
    const event = deletedUserPurgeAuditEvent({
      id: 'a1',
      time: new Date('2025-02-01T00:00:00.000Z'),
      user: { id: 'u1', userPrincipalName: 'adele@contoso.com', deletedDateTime: '2025-01-01T00:00:00.000Z' },
      days: 30,
    });
    expect(event).toMatchObject({
      activityDisplayName: 'Hard delete user',
      category: 'UserManagement',
      operationType: 'Delete',
      initiatedBy: { user: null, app: { displayName: 'Provisio Provisioning Service' } },
      targetResources: [{ id: 'u1', displayName: 'adele@contoso.com', type: 'User' }],
    });
  });
});
