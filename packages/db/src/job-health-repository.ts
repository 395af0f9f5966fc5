import type { SynchronizationStatusCode } from '@provisio/contracts';
import { emptyStatus, type JobStatusState, type ScheduleState } from '@provisio/engine';
import { postgresDialect, sqliteDialect, type SqlDialect } from './dialect';
import type { SqlRunner } from './sql-runner';

/** What the health of one provisioning job is read from: its status, schedule, lease and escrows. */
export interface JobHealthRecord {
  jobId: string;
  servicePrincipal: { id: string; displayName: string };
  statusCode: SynchronizationStatusCode;
  scheduleState: ScheduleState;
  status: JobStatusState;
  nextRunAt: string | null;
  runRequestedAt: string | null;
  /** The open cycle's id when one waits to be resumed (only its presence matters). */
  cycleCheckpoint: { cycleId: string } | null;
  leaseExpiresAt: string | null;
  countEscrowed: number;
}

interface Row {
  id: string;
  service_principal_id: string;
  display_name: string;
  status_code: SynchronizationStatusCode;
  schedule_state: ScheduleState;
  status_json: string;
  next_run_at: string | null;
  run_requested_at: string | null;
  checkpoint_cycle_id: string | null;
  lease_expires_at: string | null;
  escrowed: number;
}

/** One statement for every job, in a dialect. */
export const listJobHealthSql = (d: SqlDialect) => `
  SELECT j.id, j.service_principal_id, s.display_name, j.status_code, j.schedule_state, j.status_json,
         j.next_run_at, j.run_requested_at, ${d.jsonText('j.cycle_checkpoint', 'cycleId')} AS checkpoint_cycle_id,
         j.lease_expires_at, (SELECT COUNT(*) FROM escrows e WHERE e.job_id = j.id) AS escrowed
  FROM provisioning_jobs j JOIN service_principals s ON s.id = j.service_principal_id
  ORDER BY ${d.nocase('s.display_name')}, j.id`;

/** The statement on SQLite; exported so that a test can read its query plan. */
export const LIST_JOB_HEALTH_SQL = listJobHealthSql(sqliteDialect);
const POSTGRES_LIST_JOB_HEALTH_SQL = listJobHealthSql(postgresDialect);

/**
 * Every provisioning job at a glance, in one statement: polled every second by the portal while a
 * cycle runs, it reads neither schemas nor secrets, and counts each job's escrows on their index.
 */
export class JobHealthRepository {
  constructor(private readonly runner: SqlRunner) {}

  /** Every job with its application's name, by application name. */
  async listJobHealth(): Promise<JobHealthRecord[]> {
    const sql = this.runner.dialect === 'sqlite' ? LIST_JOB_HEALTH_SQL : POSTGRES_LIST_JOB_HEALTH_SQL;
    return (await this.runner.all<Row>(sql)).map((r) => ({
      jobId: r.id,
      servicePrincipal: { id: r.service_principal_id, displayName: r.display_name },
      statusCode: r.status_code,
      scheduleState: r.schedule_state,
      status: { ...emptyStatus(), ...(JSON.parse(r.status_json) as Partial<JobStatusState>) },
      nextRunAt: r.next_run_at,
      runRequestedAt: r.run_requested_at,
      cycleCheckpoint: r.checkpoint_cycle_id === null ? null : { cycleId: r.checkpoint_cycle_id },
      leaseExpiresAt: r.lease_expires_at,
      countEscrowed: r.escrowed,
    }));
  }
}
