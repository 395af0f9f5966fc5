import type { Mailer } from '@provisio/mailer';
import type { Role } from '@provisio/contracts';
import type { ProvisioDb } from '@provisio/db';

/** The signed-in account a request acts for. */
export interface Actor {
  id: string;
  userName: string;
  role: Role;
}

/** Who asks, and the request id that ties the audit event to the request log. */
export interface RequestContext {
  actor: Actor;
  requestId: string;
}

/** What every service is built from. */
export interface ServiceDeps {
  db: ProvisioDb;
  now: () => Date;
  /** Seconds between incremental cycles of a new provisioning job. */
  cycleIntervalSeconds: number;
  /** The mail server, for the test email; null when none is configured. */
  mailer: Mailer | null;
}
