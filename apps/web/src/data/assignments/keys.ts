export const assignmentKeys = {
  all: ['assignments'] as const,
  list: (servicePrincipalId: string) => [...assignmentKeys.all, servicePrincipalId] as const,
};
