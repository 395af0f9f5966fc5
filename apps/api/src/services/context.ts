import type { Mailer } from '@provisio/mailer';
import type { Role } from '@provisio/contracts';
import type { ProvisioDb } from '@provisio/db';
import type { TargetLookup, TargetPolicy } from '@provisio/scim-client';
import type { buildConnector } from 'undici';

/** Who a request acts for: a signed-in account (a session), or an API token. */
export interface Actor {
  /** The account's id, or the token's. */
  id: string;
  /** The account's user name, or the token's display name. */
  userName: string;
  role: Role;
  via: 'session' | 'token';
}

/** Where a request came from, for audit events. */
export interface RequestOrigin {
  ip: string;
  userAgent: string;
}

/** Who asks, from where, and the request id that ties the audit event to the request log. */
export interface RequestContext {
  actor: Actor;
  requestId: string;
  from?: RequestOrigin;
}

/** What every service is built from. */
export interface ServiceDeps {
  db: ProvisioDb;
  now: () => Date;
  /** Seconds between incremental cycles of a new provisioning job. */
  cycleIntervalSeconds: number;
  /** The mail server, for the test email; null when none is configured. */
  mailer: Mailer | null;
  /** Where a Secret Token may be sent (the Tenant URL policy) and how Test Connection connects. */
  targets: TargetAccess;
  /** How many days the worker keeps each log (PROVISIO_PROVISIONING_LOG_DAYS, PROVISIO_AUDIT_LOG_DAYS). */
  logRetention: LogRetentionDays;
  /** Days a deleted user stays in Deleted users, restorable (PROVISIO_DELETED_USER_DAYS). */
  deletedUserDays: number;
}

/** Days each log is kept before the worker removes its events. */
export interface LogRetentionDays {
  provisioningDays: number;
  auditDays: number;
}

/** The Tenant URL policy, and how Test Connection resolves names and opens connections. */
export interface TargetAccess {
  /** What PROVISIO_TARGET_ALLOW allows beyond public https and loopback. */
  policy: TargetPolicy;
  /** Resolves host names (default `dns.lookup`); tests answer from a table. */
  lookup?: TargetLookup;
  /** Opens a connection to a checked address (default undici's connector); tests pass their own. */
  connect?: buildConnector.connector;
}
