import { Type, type Static } from 'typebox';
import { collectionOf, modifiedPropertySchema, nullableString } from './common';

/**
 * What the next cycle would do to one object: the export actions, `skip` (nothing sent, with the
 * reason), `staged` (a removal the accidental deletion threshold would hold back) and `failed`
 * (the application could not be read for it).
 */
export const PREVIEW_ACTIONS = ['create', 'update', 'disable', 'delete', 'skip', 'staged', 'failed'] as const;
export const previewActionSchema = Type.Union([
  Type.Literal('create'),
  Type.Literal('update'),
  Type.Literal('disable'),
  Type.Literal('delete'),
  Type.Literal('skip'),
  Type.Literal('staged'),
  Type.Literal('failed'),
]);
export type PreviewAction = Static<typeof previewActionSchema>;

const count = Type.Integer({ minimum: 0 });
export const cyclePreviewCountsSchema = Type.Object({
  create: count,
  update: count,
  disable: count,
  delete: count,
  skip: count,
  staged: count,
  failed: count,
});
export type CyclePreviewCounts = Static<typeof cyclePreviewCountsSchema>;

/**
 * A preview of the next cycle (an addition to Graph): `POST …/jobs/{jobId}/previews` answers 202
 * with it; it is `running` until a worker has planned every object, reading the application but
 * changing nothing in it.
 */
export const cyclePreviewSchema = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
  counts: cyclePreviewCountsSchema,
  createdDateTime: Type.String(),
  completedDateTime: nullableString(),
  /** The kind of cycle previewed: Initial after a mapping change or a restart, else Incremental. */
  cycleKind: Type.Union([Type.Literal('Initial'), Type.Literal('Incremental'), Type.Null()]),
  /** Objects planned so far, of how many (while running). */
  progress: Type.Union([
    Type.Object({ completedUnits: count, totalUnits: count, units: Type.String() }),
    Type.Null(),
  ]),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  initiatedBy: Type.Object({ id: Type.String(), displayName: Type.String() }),
  /** Why the plan can no longer be run as previewed (null when it can). */
  staleReason: nullableString(),
  /** Once run: when, by whom, and how many previewed objects changed in the directory since the preview. */
  run: Type.Union([
    Type.Object({
      runDateTime: Type.String(),
      initiatedBy: Type.Object({ id: Type.String(), displayName: Type.String() }),
      changedSincePreview: count,
    }),
    Type.Null(),
  ]),
});
export type CyclePreview = Static<typeof cyclePreviewSchema>;

export const cyclePreviewCollectionSchema = collectionOf(cyclePreviewSchema);

const identity = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  identityType: Type.String(),
});

/** One object of a preview: what the cycle would do to it, why, and the attributes it would change (old → new). */
export const cyclePreviewObjectSchema = Type.Object({
  sourceIdentity: identity,
  targetIdentity: identity,
  action: previewActionSchema,
  reason: Type.String(),
  modifiedProperties: Type.Array(modifiedPropertySchema),
});
export type CyclePreviewObject = Static<typeof cyclePreviewObjectSchema>;

export const cyclePreviewObjectCollectionSchema = collectionOf(cyclePreviewObjectSchema);
export type CyclePreviewObjectCollection = Static<typeof cyclePreviewObjectCollectionSchema>;

export const cyclePreviewObjectQuerySchema = Type.Object({
  action: Type.Optional(previewActionSchema),
  $top: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 999, description: 'Page size (1–999, default 100).' }),
  ),
  $skiptoken: Type.Optional(Type.String({ maxLength: 500 })),
  $search: Type.Optional(
    Type.String({ maxLength: 200, description: 'Text in the object’s name or id (case-insensitive).' }),
  ),
});
export type CyclePreviewObjectQuery = Static<typeof cyclePreviewObjectQuerySchema>;

export const previewParamsSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 200 }),
  jobId: Type.String({ minLength: 1, maxLength: 200 }),
  previewId: Type.String({ minLength: 1, maxLength: 200 }),
});
