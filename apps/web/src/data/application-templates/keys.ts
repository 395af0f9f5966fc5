export const applicationTemplateKeys = {
  all: ['applicationTemplates'] as const,
  lists: () => [...applicationTemplateKeys.all, 'list'] as const,
  list: (search: string, category: string) =>
    [...applicationTemplateKeys.lists(), { search, category }] as const,
  detail: (id: string) => [...applicationTemplateKeys.all, 'detail', id] as const,
};
