import type { Role } from '@provisio/contracts';
import type { SqlRunner } from './sql-runner';

export interface ApiTokenRecord {
  id: string;
  displayName: string;
  role: Role;
  createdBy: { id: string; userName: string };
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  lastUsedFrom: string | null;
  revokedAt: string | null;
}

interface Row {
  id: string;
  display_name: string;
  role: Role;
  created_by_json: string;
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
  last_used_from: string | null;
  revoked_at: string | null;
}

const toRecord = (r: Row): ApiTokenRecord => ({
  id: r.id,
  displayName: r.display_name,
  role: r.role,
  createdBy: JSON.parse(r.created_by_json) as ApiTokenRecord['createdBy'],
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
  lastUsedFrom: r.last_used_from,
  revokedAt: r.revoked_at,
});

/** How often a token's last use is written. */
const TOKEN_TOUCH_MS = 60_000;

/** API tokens for automation: only a SHA-256 hash of each token is stored. */
export class TokensRepository {
  constructor(private readonly runner: SqlRunner) {}

  async insertToken(
    input: Omit<ApiTokenRecord, 'lastUsedAt' | 'lastUsedFrom' | 'revokedAt'> & { tokenHash: string },
  ): Promise<ApiTokenRecord> {
    await this.runner.run(
      `INSERT INTO api_tokens (id, display_name, role, token_hash, created_by_json, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [
        input.id,
        input.displayName,
        input.role,
        input.tokenHash,
        JSON.stringify(input.createdBy),
        input.createdAt,
        input.expiresAt,
      ],
    );
    return (await this.findToken(input.id)) as ApiTokenRecord;
  }

  async findToken(id: string): Promise<ApiTokenRecord | null> {
    const r = await this.runner.get<Row>('SELECT * FROM api_tokens WHERE id = ?', [id]);
    return r ? toRecord(r) : null;
  }

  /** Every token, newest first, revoked and expired ones included (the page shows their state). */
  async listTokens(): Promise<ApiTokenRecord[]> {
    return (await this.runner.all<Row>('SELECT * FROM api_tokens ORDER BY created_at DESC')).map(toRecord);
  }

  /**
   * The token of this hash when it is live (not revoked, not expired), recording its use (at most
   * once a minute) and where it came from; null otherwise.
   */
  async useToken(tokenHash: string, now: Date, from: string): Promise<ApiTokenRecord | null> {
    const r = await this.runner.get<Row>(
      'SELECT * FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?',
      [tokenHash, now.toISOString()],
    );
    if (!r) return null;
    if (
      !r.last_used_at ||
      now.getTime() - Date.parse(r.last_used_at) >= TOKEN_TOUCH_MS ||
      r.last_used_from !== from
    ) {
      await this.runner.run('UPDATE api_tokens SET last_used_at = ?, last_used_from = ? WHERE id = ?', [
        now.toISOString(),
        from,
        r.id,
      ]);
    }
    return toRecord(r);
  }

  /** Revokes the token at once; false when it was already revoked or does not exist. */
  async revokeToken(id: string, now: Date): Promise<boolean> {
    return (
      (
        await this.runner.run('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [
          now.toISOString(),
          id,
        ])
      ).changes === 1
    );
  }
}
