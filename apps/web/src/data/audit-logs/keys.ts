export const auditLogKeys = {
  all: ['auditLogs'] as const,
  lists: () => [...auditLogKeys.all, 'list'] as const,
  list: (filter: string) => [...auditLogKeys.lists(), { filter }] as const,
};
