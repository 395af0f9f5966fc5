import type { DirectoryAudit } from '@provisio/contracts';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { GRAPH } from '../../api/client';
import { collectionInfiniteOptions } from '../../api/collections';
import { auditLogKeys } from './keys';

export const auditLogsQueryOptions = (filter: string) =>
  collectionInfiniteOptions<DirectoryAudit, ReturnType<typeof auditLogKeys.list>>(
    auditLogKeys.list(filter),
    `${GRAPH}/auditLogs/directoryAudits`,
    { $filter: filter || undefined, $top: 50 },
  );

/** Audit events newest first; pages via `@odata.nextLink`. */
export const useAuditLogsQuery = (filter: string) =>
  useInfiniteQuery({ ...auditLogsQueryOptions(filter), placeholderData: keepPreviousData });
