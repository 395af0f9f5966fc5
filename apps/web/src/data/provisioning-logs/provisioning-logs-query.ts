import type { ProvisioningObjectSummary } from '@provisio/contracts';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { GRAPH } from '../../api/client';
import { collectionInfiniteOptions } from '../../api/collections';
import { provisioningLogKeys } from './keys';

export const PROVISIONING_LOGS_PATH = `${GRAPH}/auditLogs/provisioning`;

export const provisioningLogsQueryOptions = (filter: string) =>
  collectionInfiniteOptions<ProvisioningObjectSummary, ReturnType<typeof provisioningLogKeys.list>>(
    provisioningLogKeys.list(filter),
    PROVISIONING_LOGS_PATH,
    { $filter: filter || undefined, $top: 50 },
  );

/** Provisioning events newest first, matching a Graph `$filter`; pages via `@odata.nextLink`. */
export const useProvisioningLogsQuery = (filter: string) =>
  useInfiniteQuery({ ...provisioningLogsQueryOptions(filter), placeholderData: keepPreviousData });
