import type { ProvisioDb, ProvisioningJobRecord } from '@provisio/db';
import { plansRemoval } from '@provisio/engine';
import type { SelectObjects } from './object-handler';
import type { Prepared } from './run-cycle';

/**
 * The accidental deletion threshold: counts, before anything is sent, the objects this cycle would
 * remove (disable or delete), users and groups alike; over the threshold, every removal is held
 * (StagedDelete) and the job is quarantined with TooManyDeletes. Allow deletes (Restart with
 * ForceDeletes) lets the next cycle through.
 */
export async function holdsRemovals(
  db: ProvisioDb,
  job: ProvisioningJobRecord,
  prepared: Prepared,
  jobRef: { jobId: string; servicePrincipalId: string; syncAll: boolean },
  select: SelectObjects,
  log: (line: string) => void,
): Promise<{ hold: boolean; removals: number; threshold: number }> {
  const guard = prepared.options.deletionThreshold;
  if (!guard.enabled || job.forceDeletes) return { hold: false, removals: 0, threshold: guard.threshold };
  let removals = 0;
  const { appRoles } = await db.applications.getServicePrincipal(job.servicePrincipalId);
  for (const handler of prepared.handlers.values()) {
    // A job that provisions none of this type yet (its first cycle) has nothing of it to remove.
    if (!(await db.connector.hasLinked(job.id, handler.objectType))) continue;
    const ids = await select(handler);
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      // Only an object the job provisions can be removed: the others are not even read.
      const linked = [...(await db.connector.listObjectsBySourceIds(job.id, chunk)).values()]
        .filter((c) => c.state === 'linked' && c.targetId !== null)
        .map((c) => c.sourceId);
      for (const item of await handler.loadItems(db, jobRef, linked)) {
        const scope = item.source
          ? handler.viewOf(item.source, item.entitlement, {
              syncAll: prepared.options.syncAll,
              appRoles,
            }).scope
          : null;
        const removes = plansRemoval({
          scope,
          connector: item.connector
            ? { state: item.connector.state, targetId: item.connector.targetId }
            : null,
          flowTypes: handler.compiled.flowTypes,
          skipOutOfScopeDeletions: prepared.options.skipOutOfScopeDeletions,
          outOfScope: handler.outOfScope,
        });
        if (removes) removals += 1;
      }
    }
  }
  const hold = removals > guard.threshold;
  if (hold)
    log(
      `job=${job.id} holds ${removals} removals: over the accidental deletion threshold of ${guard.threshold}`,
    );
  return { hold, removals, threshold: guard.threshold };
}
