import type {
  LogSummaryCycle,
  ProvisioningLogSummary,
  ProvisioningLogSummaryQuery,
} from '@provisio/contracts';
import { cycleDurationMs, summaryBuckets, sumStatusCounts } from '@provisio/engine';
import type { RecentCycle } from '@provisio/db';
import type { ServiceDeps } from './context';

/** How many of the newest cycles the summary charts. */
export const SUMMARY_CYCLES = 20;

const toSummaryCycle = (c: RecentCycle): LogSummaryCycle => ({
  id: c.id,
  jobId: c.jobId,
  servicePrincipal: { id: c.servicePrincipalId, displayName: c.servicePrincipalName },
  kind: c.kind,
  state: c.state,
  beganAt: c.beganAt,
  endedAt: c.endedAt,
  durationInMilliseconds: cycleDurationMs(c.beganAt, c.endedAt),
});

/** The provisioning log at a glance: events per period and status, the last cycles, how far back the logs go. */
export class LogSummaryService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * The summary of every application, or of one (`servicePrincipalId`); like the log's own filter,
   * an id of no application (one deleted since its events were written) is not an error.
   */
  async summarize(query: ProvisioningLogSummaryQuery): Promise<ProvisioningLogSummary> {
    const { db, now, logRetention } = this.deps;
    const range = query.range ?? '24h';
    const appId = query.servicePrincipalId;
    const { interval, buckets } = summaryBuckets(range, now());
    const counts = await db.logSummary.countEventsByStatus(buckets, appId);
    const oldest = await db.events.oldestEventTimes();
    return {
      range,
      interval,
      from: buckets[0]!.from,
      to: buckets.at(-1)!.to,
      buckets: buckets.map((b, i) => ({ start: b.from, counts: counts[i]! })),
      totals: sumStatusCounts(counts),
      cycles: (await db.logSummary.listRecentCycles(SUMMARY_CYCLES, appId)).map(toSummaryCycle),
      retention: {
        provisioning: {
          days: logRetention.provisioningDays,
          oldestEventDateTime:
            appId === undefined
              ? oldest.provisioning
              : await db.logSummary.oldestProvisioningEventTime(appId),
        },
        audit: { days: logRetention.auditDays, oldestEventDateTime: oldest.audit },
      },
    };
  }
}
