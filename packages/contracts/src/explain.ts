import { Type, type Static } from 'typebox';

/**
 * Explain (an addition to Graph): whether the next cycle will provision a user or group, what it
 * will do and why not — and the fix — in the words its provisioning event would use.
 */
export const explanationSchema = Type.Object({
  willProvision: Type.Boolean(),
  action: Type.Union([
    Type.Literal('create'),
    Type.Literal('update'),
    Type.Literal('disable'),
    Type.Literal('delete'),
    Type.Literal('skip'),
    Type.Literal('staged'),
    Type.Literal('failed'),
    Type.Literal('none'),
  ]),
  reason: Type.String(),
  /**
   * When a failed export of the object waits in escrow for a later retry: the time after which the
   * cycle that retries it runs (ISO 8601). Absent when the next cycle acts.
   */
  retryAt: Type.Optional(Type.String()),
  recommendedAction: Type.String(),
  checks: Type.Array(Type.Object({ name: Type.String(), passed: Type.Boolean(), detail: Type.String() })),
});
export type Explanation = Static<typeof explanationSchema>;

export const explainQuerySchema = Type.Object({
  objectId: Type.String({
    minLength: 1,
    maxLength: 200,
    description: 'The id of a directory user or group.',
  }),
});
