import type { SecretKey, SecretsView } from '@provisio/contracts';

/** The saved configuration the Provisioning page edits, read from the secrets view. */
export interface SavedProvisioningSettings {
  tenantUrl: string;
  /** Only whether a Secret Token is saved: its value is never returned. */
  secretTokenSaved: boolean;
  syncAll: boolean;
  /** Accounts leaving scope are left as they are in the application (not disabled). */
  skipOutOfScopeDeletions: boolean;
  notificationEnabled: boolean;
  notificationEmail: string;
  /** The saved notification document, kept whole so keys we don't edit survive a Save. */
  notificationDocument: Record<string, unknown>;
}

const entry = (view: SecretsView | undefined, key: SecretKey) => view?.value.find((v) => v.key === key);

/** `SyncNotificationSettings` is a JSON document as in Graph: `{"Enabled":true,"Recipients":"a@b.c"}`. */
export function parseNotificationSettings(value: string | null | undefined): Record<string, unknown> {
  if (!value) return {};
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

export function readSavedSettings(view: SecretsView | undefined): SavedProvisioningSettings {
  const notification = parseNotificationSettings(entry(view, 'SyncNotificationSettings')?.value);
  return {
    tenantUrl: entry(view, 'BaseAddress')?.value ?? '',
    secretTokenSaved: entry(view, 'SecretToken')?.hasValue ?? false,
    syncAll: (entry(view, 'SyncAll')?.value ?? '').toLowerCase() === 'true',
    skipOutOfScopeDeletions: (entry(view, 'SkipOutOfScopeDeletions')?.value ?? '').toLowerCase() === 'true',
    notificationEnabled: notification['Enabled'] === true || notification['Enabled'] === 'true',
    notificationEmail: typeof notification['Recipients'] === 'string' ? notification['Recipients'] : '',
    notificationDocument: notification,
  };
}

export function formatNotificationSettings(
  saved: Record<string, unknown>,
  enabled: boolean,
  email: string,
): string {
  return JSON.stringify({ ...saved, Enabled: enabled, Recipients: email.trim() });
}
