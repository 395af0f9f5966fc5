import type { CycleState } from './cycle-summary';
import { quarantineFix } from '@provisio/contracts';
import type { Quarantine } from './quarantine-policy';

/** Where a job's failure notifications go (the SyncNotificationSettings secret). */
export interface NotificationSettings {
  enabled: boolean;
  recipients: string[];
}

/**
 * Reads Graph's `SyncNotificationSettings` secret (`{"Enabled":true,"Recipients":"a@x;b@y",…}`).
 * Anything unreadable means no notification rather than a failed cycle.
 */
export function readNotificationSettings(secret: string | undefined): NotificationSettings {
  if (!secret) return { enabled: false, recipients: [] };
  try {
    const doc = JSON.parse(secret) as { Enabled?: unknown; Recipients?: unknown };
    const recipients =
      typeof doc.Recipients === 'string'
        ? doc.Recipients.split(/[;,\s]+/).filter((r) => r.includes('@'))
        : [];
    return { enabled: doc.Enabled === true || doc.Enabled === 'true', recipients };
  } catch {
    return { enabled: false, recipients: [] };
  }
}

/** One notification email. */
export interface Notification {
  subject: string;
  text: string;
}

/**
 * The email a finished cycle calls for, if any: one message per event — a quarantine entered or
 * changed (a held deletion is one, `TooManyDeletes`), or a cycle that failed outright without
 * quarantining the job. Each names the application, the reason, the fix and where to look.
 */
export function notificationFor(input: {
  appName: string;
  portalUrl: string | null;
  cycle: { id: string; state: CycleState; error: { code: string; message: string } | null };
  quarantineChange: 'entered' | 'changed' | 'continued' | 'cleared' | 'none';
  quarantine: Quarantine | null;
}): Notification | null {
  const where = input.portalUrl
    ? `Open the application's Provisioning page: ${input.portalUrl}`
    : "Open the application's Provisioning page in the Provisio portal.";
  if ((input.quarantineChange === 'entered' || input.quarantineChange === 'changed') && input.quarantine) {
    const q = input.quarantine;
    return {
      subject: `Provisioning of ${input.appName} is quarantined (${q.reason})`,
      text: [
        `Provisioning of ${input.appName} was put in quarantine: ${q.reason}.`,
        q.error ? `Error: ${q.error.message}` : null,
        `What to do: ${quarantineFix(q.reason)}`,
        `While quarantined it runs less often; next attempt ${q.nextAttempt}.`,
        where,
        `Cycle: ${input.cycle.id}`,
      ]
        .filter((line): line is string => line !== null)
        .join('\n'),
    };
  }
  if (input.cycle.state === 'Failed' && input.quarantine === null) {
    return {
      subject: `A provisioning cycle of ${input.appName} failed`,
      text: [
        `A provisioning cycle of ${input.appName} failed${input.cycle.error ? `: ${input.cycle.error.code}` : ''}.`,
        input.cycle.error ? input.cycle.error.message : null,
        where,
        `Cycle: ${input.cycle.id}`,
      ]
        .filter((line): line is string => line !== null)
        .join('\n'),
    };
  }
  return null;
}
