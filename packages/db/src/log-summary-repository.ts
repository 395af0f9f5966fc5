import type { CycleKind, CycleState } from './cycles-repository';
import { postgresDialect, sqliteDialect, type SqlDialect } from './dialect';
import type { SqlRunner } from './sql-runner';

/** Events of each status in one period. */
export interface StatusCounts {
  success: number;
  skipped: number;
  failure: number;
  warning: number;
}

/** A cycle with its job's application, for charts of cycle durations. */
export interface RecentCycle {
  id: string;
  jobId: string;
  servicePrincipalId: string;
  servicePrincipalName: string;
  kind: CycleKind;
  state: CycleState;
  beganAt: string;
  endedAt: string | null;
}

const STATUSES = ['success', 'skipped', 'failure', 'warning'] as const;

const emptyCounts = (): StatusCounts => ({ success: 0, skipped: 0, failure: 0, warning: 0 });

// The newest cycles of each job from `cycles_job`, then the newest of those: no scan of every cycle.
// Parameters: the limit, the application when `where` names one, the limit again. The aliases are
// quoted: PostgreSQL folds unquoted names to lower case.
const recentCyclesSql = ({ insertionOrder: row }: SqlDialect, where: string) =>
  `SELECT c.id, c.job_id AS "jobId", j.service_principal_id AS "servicePrincipalId",
          COALESCE(sp.display_name, j.service_principal_id) AS "servicePrincipalName",
          c.kind, c.state, c.began_at AS "beganAt", c.ended_at AS "endedAt"
   FROM provisioning_jobs j
   JOIN cycles c ON c.${row} IN (
     SELECT ${row} FROM cycles WHERE job_id = j.id ORDER BY began_at DESC LIMIT ?)
   LEFT JOIN service_principals sp ON sp.id = j.service_principal_id
   ${where}
   ORDER BY c.began_at DESC, c.id DESC LIMIT ?`;

/** The summary's statements in a dialect. */
export const logSummarySqlOf = (d: SqlDialect) =>
  ({
    countAll: `SELECT COUNT(*) AS n FROM provisioning_events
             WHERE status = ? AND activity_date_time >= ? AND activity_date_time < ?`,
    countOfApp: `SELECT status, COUNT(*) AS n FROM provisioning_events
               WHERE service_principal_id = ? AND activity_date_time >= ? AND activity_date_time < ?
               GROUP BY status`,
    oldestOfApp:
      'SELECT MIN(activity_date_time) AS t FROM provisioning_events WHERE service_principal_id = ?',
    recentCycles: recentCyclesSql(d, ''),
    recentCyclesOfApp: recentCyclesSql(d, 'WHERE j.service_principal_id = ?'),
  }) as const;

/** The summary's statements on SQLite, exported so that a test proves each one walks an index. */
export const logSummarySql = logSummarySqlOf(sqliteDialect);
const POSTGRES_LOG_SUMMARY_SQL = logSummarySqlOf(postgresDialect);

/**
 * Figures of the provisioning log for its summary charts, read from the indexed columns only
 * (never an event's body). Counting one period at a time walks an index range and needs no sort:
 * every application's events are counted on `provisioning_events_status_time` without reading a
 * row; one application's on `provisioning_events_sp_time`, reading each row's status.
 */
export class LogSummaryRepository {
  private readonly sql: ReturnType<typeof logSummarySqlOf>;
  constructor(private readonly runner: SqlRunner) {
    this.sql = runner.dialect === 'sqlite' ? logSummarySql : POSTGRES_LOG_SUMMARY_SQL;
  }

  /**
   * Provisioning events per status in each period (`from <= activityDateTime < to`), of one
   * application or of all; read from one snapshot, so the periods add up while the worker writes.
   */
  async countEventsByStatus(
    periods: readonly { from: string; to: string }[],
    servicePrincipalId?: string,
  ): Promise<StatusCounts[]> {
    return this.runner.snapshot(async (tx) => {
      const out: StatusCounts[] = [];
      for (const { from, to } of periods) {
        const counts = emptyCounts();
        if (servicePrincipalId === undefined) {
          for (const status of STATUSES)
            counts[status] = (await tx.get<{ n: number }>(this.sql.countAll, [status, from, to]))!.n;
        } else {
          const rows = await tx.all<{ status: string; n: number }>(this.sql.countOfApp, [
            servicePrincipalId,
            from,
            to,
          ]);
          for (const row of rows) if (row.status in counts) counts[row.status as keyof StatusCounts] = row.n;
        }
        out.push(counts);
      }
      return out;
    });
  }

  /** When one application's oldest kept provisioning event happened; null when it has none. */
  async oldestProvisioningEventTime(servicePrincipalId: string): Promise<string | null> {
    return (
      (await this.runner.get<{ t: string | null }>(this.sql.oldestOfApp, [servicePrincipalId]))?.t ?? null
    );
  }

  /** The newest `limit` cycles, of one application's jobs or of every job, newest first. */
  listRecentCycles(limit: number, servicePrincipalId?: string): Promise<RecentCycle[]> {
    return servicePrincipalId === undefined
      ? this.runner.all<RecentCycle>(this.sql.recentCycles, [limit, limit])
      : this.runner.all<RecentCycle>(this.sql.recentCyclesOfApp, [limit, servicePrincipalId, limit]);
  }
}
