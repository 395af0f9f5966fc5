/** Explanations hang off one application's job and one directory object. */
export const explainKeys = {
  all: ['explain'] as const,
  forApp: (servicePrincipalId: string) => [...explainKeys.all, servicePrincipalId] as const,
  detail: (servicePrincipalId: string, jobId: string, objectId: string) =>
    [...explainKeys.forApp(servicePrincipalId), jobId, objectId] as const,
};
