import { randomBytes, randomUUID } from 'node:crypto';
import { ROLE_LABEL, type ApiToken, type ApiTokenCreate, type ApiTokenCreated } from '@provisio/contracts';
import type { ApiTokenRecord } from '@provisio/db';
import { AppError } from '../errors';
import { recordAudit } from './audit';
import { hashSessionToken } from './auth-service';
import type { RequestContext, ServiceDeps } from './context';
import { writeTransaction } from './transaction';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Tokens start with this, so that a leaked one is easy to recognise in a log or a repository. */
export const TOKEN_PREFIX = 'pvo_';

/**
 * API tokens for automation: an Administrator creates one with a role, a name and an expiry; it is
 * shown once and only its SHA-256 hash is kept; it is sent as `Authorization: Bearer`, its last use
 * is recorded, and revoking it takes effect at the next request.
 */
export class TokensService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(): Promise<ApiToken[]> {
    const now = this.deps.now();
    return (await this.deps.db.tokens.listTokens()).map((t) => toContract(t, now));
  }

  create(ctx: RequestContext, input: ApiTokenCreate): Promise<ApiTokenCreated> {
    const { db, now } = this.deps;
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const created = now();
    return writeTransaction(db, async (tx) => {
      const record = await tx.tokens.insertToken({
        id: randomUUID(),
        displayName: input.displayName.trim(),
        role: input.role,
        tokenHash: hashSessionToken(token),
        createdBy: { id: ctx.actor.id, userName: ctx.actor.userName },
        createdAt: created.toISOString(),
        expiresAt: new Date(created.getTime() + input.expiresInDays * DAY_MS).toISOString(),
      });
      await recordAudit(tx, ctx, created, {
        category: 'RoleManagement',
        activity: 'Add API token',
        operationType: 'Add',
        targets: [
          {
            id: record.id,
            displayName: record.displayName,
            type: 'ApiToken',
            modifiedProperties: [
              { displayName: 'role', oldValue: null, newValue: ROLE_LABEL[record.role] },
              { displayName: 'expirationDateTime', oldValue: null, newValue: record.expiresAt },
            ],
          },
        ],
      });
      return { ...toContract(record, created), token };
    });
  }

  async revoke(ctx: RequestContext, id: string): Promise<void> {
    const { db, now } = this.deps;
    await writeTransaction(db, async (tx) => {
      const record = await tx.tokens.findToken(id);
      if (!record) {
        throw new AppError(
          'api_token.not_found',
          404,
          `There is no API token '${id}'. List them with GET /api/tokens.`,
        );
      }
      if (!(await tx.tokens.revokeToken(id, now()))) return;
      await recordAudit(tx, ctx, now(), {
        category: 'RoleManagement',
        activity: 'Revoke API token',
        operationType: 'Delete',
        targets: [{ id: record.id, displayName: record.displayName, type: 'ApiToken' }],
      });
    });
  }
}

function toContract(t: ApiTokenRecord, now: Date): ApiToken {
  return {
    id: t.id,
    displayName: t.displayName,
    role: t.role,
    state: t.revokedAt ? 'revoked' : Date.parse(t.expiresAt) <= now.getTime() ? 'expired' : 'active',
    createdDateTime: t.createdAt,
    createdBy: t.createdBy,
    expirationDateTime: t.expiresAt,
    lastUsedDateTime: t.lastUsedAt,
    lastUsedFrom: t.lastUsedFrom,
    revokedDateTime: t.revokedAt,
  };
}
