import type { Sqlite } from './database';
import type { CycleKind, CycleState } from './cycles-repository';

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
const recentCyclesSql = (where: string) =>
  `SELECT c.id, c.job_id AS jobId, j.service_principal_id AS servicePrincipalId,
          COALESCE(sp.display_name, j.service_principal_id) AS servicePrincipalName,
          c.kind, c.state, c.began_at AS beganAt, c.ended_at AS endedAt
   FROM provisioning_jobs j
   JOIN cycles c ON c.rowid IN (
     SELECT rowid FROM cycles WHERE job_id = j.id ORDER BY began_at DESC LIMIT @limit)
   LEFT JOIN service_principals sp ON sp.id = j.service_principal_id
   ${where}
   ORDER BY c.began_at DESC, c.id DESC LIMIT @limit`;

/** The summary's statements, exported so that a test proves each one walks an index. */
export const logSummarySql = {
  countAll: `SELECT COUNT(*) FROM provisioning_events
             WHERE status = ? AND activity_date_time >= ? AND activity_date_time < ?`,
  countOfApp: `SELECT status, COUNT(*) AS n FROM provisioning_events
               WHERE service_principal_id = ? AND activity_date_time >= ? AND activity_date_time < ?
               GROUP BY status`,
  oldestOfApp: 'SELECT MIN(activity_date_time) FROM provisioning_events WHERE service_principal_id = ?',
  recentCycles: recentCyclesSql(''),
  recentCyclesOfApp: recentCyclesSql('WHERE j.service_principal_id = @servicePrincipalId'),
} as const;

/**
 * Figures of the provisioning log for its summary charts, read from the indexed columns only
 * (never an event's body). Counting one period at a time walks an index range and needs no sort:
 * every application's events are counted on `provisioning_events_status_time` without reading a
 * row; one application's on `provisioning_events_sp_time`, reading each row's status.
 */
export class LogSummaryRepository {
  private readonly countAll;
  private readonly countOfApp;
  private readonly oldestOfApp;
  private readonly recentCycles;
  private readonly recentCyclesOfApp;

  constructor(private readonly db: Sqlite) {
    this.countAll = db.prepare(logSummarySql.countAll).pluck();
    this.countOfApp = db.prepare(logSummarySql.countOfApp);
    this.oldestOfApp = db.prepare(logSummarySql.oldestOfApp).pluck();
    this.recentCycles = db.prepare(logSummarySql.recentCycles);
    this.recentCyclesOfApp = db.prepare(logSummarySql.recentCyclesOfApp);
  }

  /**
   * Provisioning events per status in each period (`from <= activityDateTime < to`), of one
   * application or of all; read in one transaction, so the periods add up while the worker writes.
   */
  countEventsByStatus(
    periods: readonly { from: string; to: string }[],
    servicePrincipalId?: string,
  ): StatusCounts[] {
    return this.db.transaction(() =>
      periods.map(({ from, to }) => {
        const counts = emptyCounts();
        if (servicePrincipalId === undefined) {
          for (const status of STATUSES) counts[status] = this.countAll.get(status, from, to) as number;
          return counts;
        }
        for (const row of this.countOfApp.all(servicePrincipalId, from, to) as {
          status: string;
          n: number;
        }[]) {
          if (row.status in counts) counts[row.status as keyof StatusCounts] = row.n;
        }
        return counts;
      }),
    )();
  }

  /** When one application's oldest kept provisioning event happened; null when it has none. */
  oldestProvisioningEventTime(servicePrincipalId: string): string | null {
    return (this.oldestOfApp.get(servicePrincipalId) as string | null) ?? null;
  }

  /** The newest `limit` cycles, of one application's jobs or of every job, newest first. */
  listRecentCycles(limit: number, servicePrincipalId?: string): RecentCycle[] {
    return (
      servicePrincipalId === undefined
        ? this.recentCycles.all({ limit })
        : this.recentCyclesOfApp.all({ limit, servicePrincipalId })
    ) as RecentCycle[];
  }
}
