import { Type, type Static } from 'typebox';

/** The longest email address mail can carry (RFC 5321's 256-character path less its angle brackets). */
export const EMAIL_ADDRESS_MAX_LENGTH = 254;

/**
 * One Notification Email address (Settings → Notification Email, `Recipients` of the
 * `SyncNotificationSettings` secret, where several are separated by `;`): checked by the API when
 * the secret is saved and by the portal before it sends it.
 */
export const notificationEmailSchema = Type.String({
  maxLength: EMAIL_ADDRESS_MAX_LENGTH,
  pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
  description: 'An email address such as it@contoso.com.',
});
export type NotificationEmail = Static<typeof notificationEmailSchema>;
