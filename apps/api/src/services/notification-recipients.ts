import { EMAIL_ADDRESS_MAX_LENGTH, notificationEmailSchema } from '@provisio/contracts';
import { Value } from 'typebox/value';
import { invalidField } from '../errors';

/** The Notification Email addresses (`Recipients`, separated as the worker reads them): each one an address mail can carry. */
export function checkRecipients(target: string, recipients: unknown): void {
  if (recipients === undefined || recipients === null || recipients === '') return;
  if (typeof recipients !== 'string') {
    throw invalidField(target, `${target}: Recipients must be a text such as "it@contoso.com".`);
  }
  for (const address of recipients.split(/[;,\s]+/).filter(Boolean)) {
    if (address.length > EMAIL_ADDRESS_MAX_LENGTH) {
      throw invalidField(
        target,
        `The Notification Email can be at most ${EMAIL_ADDRESS_MAX_LENGTH} characters; '${address.slice(0, 40)}…' has ${address.length}.`,
      );
    }
    if (!Value.Check(notificationEmailSchema, address)) {
      throw invalidField(
        target,
        `The Notification Email '${address}' is not an email address. Enter one such as it@contoso.com.`,
      );
    }
  }
}
