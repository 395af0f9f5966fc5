export const deletedUserKeys = {
  all: ['deletedUsers'] as const,
  lists: () => [...deletedUserKeys.all, 'list'] as const,
  list: (search: string, top: number) => [...deletedUserKeys.lists(), { search, top }] as const,
};
