import { describe, expect, it } from 'vitest';
import { notificationFor, readNotificationSettings } from './notifications';

const quarantine = {
  reason: 'TooManyDeletes',
  error: {
    code: 'TooManyDeletes',
    message: 'The cycle would have removed 9 objects.',
    tenantActionable: true,
  },
  currentBegan: '2026-03-01T10:00:00.000Z',
  nextAttempt: '2026-03-01T10:40:00.000Z',
  seriesBegan: '2026-03-01T10:00:00.000Z',
  seriesCount: 1,
};
const base = {
  appName: 'Contoso Chat',
  portalUrl: 'https://provisio.contoso.com/applications/sp1/provisioning',
  cycle: { id: 'c1', state: 'Succeeded' as const, error: null },
  quarantineChange: 'none' as const,
  quarantine: null,
};

describe('notifications', () => {
  it('reads the SyncNotificationSettings secret; anything unreadable sends nothing', () => {
    expect(readNotificationSettings('{"Enabled":true,"Recipients":"a@contoso.com; b@contoso.com"}')).toEqual({
      enabled: true,
      recipients: ['a@contoso.com', 'b@contoso.com'],
    });
    expect(readNotificationSettings('not json')).toEqual({ enabled: false, recipients: [] });
    expect(readNotificationSettings(undefined)).toEqual({ enabled: false, recipients: [] });
  });

  it('one message when a quarantine begins or changes, naming the application, the reason, the fix and the link', () => {
    const n = notificationFor({ ...base, quarantineChange: 'entered', quarantine });
    expect(n?.subject).toBe('Provisioning of Contoso Chat is quarantined (TooManyDeletes)');
    expect(n?.text).toContain('select Allow deletes');
    expect(n?.text).toContain(base.portalUrl);
    expect(notificationFor({ ...base, quarantineChange: 'continued', quarantine })).toBeNull();
  });

  it('one message for a failed cycle that did not quarantine the job; none for a successful one', () => {
    const failed = notificationFor({
      ...base,
      cycle: { id: 'c2', state: 'Failed', error: { code: 'InternalError', message: 'Boom.' } },
    });
    expect(failed?.subject).toBe('A provisioning cycle of Contoso Chat failed');
    expect(notificationFor(base)).toBeNull();
  });
});
