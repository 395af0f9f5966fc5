import { Type, type Static } from 'typebox';
import { collectionOf } from './common';

/** One sync cycle a provisioning job ran (an addition to Graph): what the overview lists as the last cycles. */
export const cycleSchema = Type.Object({
  id: Type.String({ description: 'The cycle id, as in the provisioning logs (`cycleId`).' }),
  kind: Type.Union([Type.Literal('Initial'), Type.Literal('Incremental')]),
  state: Type.Union([
    Type.Literal('Running'),
    Type.Literal('Succeeded'),
    Type.Literal('Failed'),
    Type.Literal('EntryLevelErrors'),
  ]),
  beganAt: Type.String({ format: 'date-time' }),
  endedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  counts: Type.Record(Type.String(), Type.Integer(), {
    description:
      'imported, entitled, exported, escrowed, skipped, failed, created, updated, disabled, deleted, …',
  }),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
});
export type Cycle = Static<typeof cycleSchema>;
export const cycleCollectionSchema = collectionOf(cycleSchema);

export const cycleQuerySchema = Type.Object({
  $top: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 100, description: 'How many of the newest cycles (default 20).' }),
  ),
});
export type CycleQuery = Static<typeof cycleQuerySchema>;
