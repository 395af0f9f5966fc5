export const userKeys = {
  all: ['users'] as const,
  lists: () => [...userKeys.all, 'list'] as const,
  list: (search: string, top: number, filter?: string) =>
    [...userKeys.lists(), { search, top, filter: filter ?? '' }] as const,
  count: () => [...userKeys.all, 'count'] as const,
  detail: (id: string) => [...userKeys.all, 'detail', id] as const,
};
