import { EMAIL_ADDRESS_MAX_LENGTH, notificationEmailSchema } from '@provisio/contracts';
import { Value } from 'typebox/value';
import { number } from './field-messages';

/**
 * What is wrong with the Notification Email (Settings), with the rule the API applies when the
 * setting is saved (`notificationEmailSchema`); several addresses are separated by `;`.
 */
export function notificationEmailProblem(text: string): string | undefined {
  const addresses = text.split(/[;,\s]+/).filter(Boolean);
  if (addresses.length === 0) return 'Enter the email address that receives failure notifications.';
  for (const address of addresses) {
    if (address.length > EMAIL_ADDRESS_MAX_LENGTH)
      return `The Notification Email can be at most ${number(EMAIL_ADDRESS_MAX_LENGTH)} characters; this one has ${number(address.length)}.`;
    if (!Value.Check(notificationEmailSchema, address))
      return `The Notification Email '${address}' is not an email address. Enter one such as it@contoso.com.`;
  }
  return undefined;
}
