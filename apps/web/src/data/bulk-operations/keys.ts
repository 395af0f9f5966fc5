/** Bulk operations on directory users: the list, one operation, and its rejected rows. */
export const bulkOperationKeys = {
  all: ['bulkOperations'] as const,
  lists: () => [...bulkOperationKeys.all, 'list'] as const,
  detail: (id: string) => [...bulkOperationKeys.all, 'detail', id] as const,
  results: (id: string) => [...bulkOperationKeys.detail(id), 'results'] as const,
};
