export const provisioningLogKeys = {
  all: ['provisioningLogs'] as const,
  lists: () => [...provisioningLogKeys.all, 'list'] as const,
  list: (filter: string) => [...provisioningLogKeys.lists(), { filter }] as const,
  detail: (id: string) => [...provisioningLogKeys.all, 'detail', id] as const,
  /** The summary charts of every application (`servicePrincipalId` undefined) or of one. */
  summary: (range: string, servicePrincipalId: string | undefined) =>
    [...provisioningLogKeys.all, 'summary', { range, servicePrincipalId }] as const,
};
