import { Type, type Static } from 'typebox';
import { collectionOf, nullableString } from './common';

/**
 * Bulk operations on directory users, as Entra's *Bulk create*, *Bulk update* and *Bulk delete*
 * (an addition to Graph): a CSV file is validated row by row, then its valid rows are applied in
 * batches while the operation counts its progress.
 */
export const bulkOperationKindSchema = Type.Union(
  [Type.Literal('create'), Type.Literal('update'), Type.Literal('delete')],
  {
    description: 'create: new users; update: change users (by id or userPrincipalName); delete: soft delete.',
  },
);
export type BulkOperationKind = Static<typeof bulkOperationKindSchema>;

export const bulkOperationStatusSchema = Type.Union(
  [
    Type.Literal('notStarted'),
    Type.Literal('validating'),
    Type.Literal('running'),
    Type.Literal('succeeded'),
    Type.Literal('completedWithErrors'),
    Type.Literal('failed'),
  ],
  {
    description:
      'notStarted (queued behind another operation) → validating (every row is checked) → running (valid rows applied in batches) → succeeded, completedWithErrors (some rows rejected) or failed (the file could not be read, or the API stopped).',
  },
);
export type BulkOperationStatus = Static<typeof bulkOperationStatusSchema>;

export const bulkOperationSchema = Type.Object({
  id: Type.String(),
  kind: bulkOperationKindSchema,
  status: bulkOperationStatusSchema,
  fileName: Type.String(),
  requestedBy: Type.Object({ id: Type.String(), userName: Type.String() }),
  total: Type.Integer({ description: 'Data rows in the file; known once validation has read it all.' }),
  validated: Type.Integer({ description: 'Rows validated so far.' }),
  processed: Type.Integer({ description: 'Rows whose outcome is known (applied or rejected).' }),
  succeeded: Type.Integer(),
  failed: Type.Integer({ description: 'Rows rejected; GET …/results lists why.' }),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  createdDateTime: Type.String({ format: 'date-time' }),
  startedDateTime: nullableString(),
  completedDateTime: nullableString(),
});
export type BulkOperation = Static<typeof bulkOperationSchema>;
export const bulkOperationCollectionSchema = collectionOf(bulkOperationSchema);

/** One problem of a rejected row. */
export const bulkOperationResultSchema = Type.Object({
  line: Type.Integer({ description: 'The line of the file (the header is line 1).' }),
  column: nullableString({ description: 'The column at fault; null when the whole row is.' }),
  code: Type.String({ description: '`<entity>.<reason>`, e.g. `user.conflict`, `request.invalid`.' }),
  reason: Type.String({ description: 'What is wrong and how to fix it.' }),
  key: nullableString({ description: 'The row’s userPrincipalName or id, as written.' }),
});
export type BulkOperationResult = Static<typeof bulkOperationResultSchema>;
export const bulkOperationResultCollectionSchema = collectionOf(bulkOperationResultSchema);

export const bulkOperationCreateQuerySchema = Type.Object({
  kind: bulkOperationKindSchema,
  fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Shown in the list.' })),
});
export type BulkOperationCreateQuery = Static<typeof bulkOperationCreateQuerySchema>;

export const bulkOperationTemplateQuerySchema = Type.Object({ kind: bulkOperationKindSchema });

/** Most rows one file may hold. */
export const BULK_OPERATION_MAX_ROWS = 200_000;
/** Largest file accepted, in bytes. */
export const BULK_OPERATION_MAX_BYTES = 64 * 1024 * 1024;
