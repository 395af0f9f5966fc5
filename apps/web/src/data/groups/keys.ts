export const groupKeys = {
  all: ['groups'] as const,
  lists: () => [...groupKeys.all, 'list'] as const,
  list: (search: string, top: number) => [...groupKeys.lists(), { search, top }] as const,
  count: () => [...groupKeys.all, 'count'] as const,
  detail: (id: string) => [...groupKeys.all, 'detail', id] as const,
  members: (id: string) => [...groupKeys.detail(id), 'members'] as const,
};
