export const provisioningLogKeys = {
  all: ['provisioningLogs'] as const,
  lists: () => [...provisioningLogKeys.all, 'list'] as const,
  list: (filter: string) => [...provisioningLogKeys.lists(), { filter }] as const,
  detail: (id: string) => [...provisioningLogKeys.all, 'detail', id] as const,
};
