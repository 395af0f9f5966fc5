export const extensionPropertyKeys = {
  all: ['extensionProperties'] as const,
  list: () => [...extensionPropertyKeys.all, 'list'] as const,
};
