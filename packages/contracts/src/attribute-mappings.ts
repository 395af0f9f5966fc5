import { Type, type Static } from 'typebox';
import { collectionOf, errorDetailSchema, nullableString } from './common';
import {
  attributeDefinitionSchema,
  attributeMappingSourceSchema,
  directoryDefinitionSchema,
  objectDefinitionSchema,
  synchronizationRuleSchema,
  type AttributeMappingSource,
} from './synchronization';

// ---- schema PUT (Graph's "Update synchronizationSchema") ----

/**
 * The body of `PUT …/jobs/{jobId}/schema`: the whole schema, as GET returns it. `id` is the
 * job's and is ignored; `version`, when sent, must be the version that was read (else 409
 * `schema.version_conflict`), so that two editors never overwrite each other unknowingly.
 */
export const synchronizationSchemaPutSchema = Type.Object({
  id: Type.Optional(Type.String({ maxLength: 200 })),
  version: Type.Optional(Type.String({ maxLength: 40 })),
  synchronizationRules: Type.Array(synchronizationRuleSchema, { maxItems: 20 }),
  directories: Type.Array(directoryDefinitionSchema, { maxItems: 20 }),
});

// ---- schema/functions (Graph's attributeMappingFunctionSchema) ----

/** Graph's attributeType, the `type` of a function parameter. */
export const attributeMappingParameterTypeSchema = Type.Union([
  Type.Literal('String'),
  Type.Literal('Integer'),
  Type.Literal('Reference'),
  Type.Literal('Binary'),
  Type.Literal('Boolean'),
  Type.Literal('DateTime'),
]);

export const attributeMappingParameterSchemaSchema = Type.Object({
  name: Type.String(),
  type: attributeMappingParameterTypeSchema,
  allowMultipleOccurrence: Type.Boolean(),
  required: Type.Boolean(),
});
export type AttributeMappingParameterSchema = Static<typeof attributeMappingParameterSchemaSchema>;

export const attributeMappingFunctionSchemaSchema = Type.Object({
  id: Type.String({ description: 'The function name, as Graph returns it.' }),
  name: Type.String(),
  parameters: Type.Array(attributeMappingParameterSchemaSchema),
  /** Our addition: what the function does, for the expression builder. */
  description: Type.String(),
});
export type AttributeMappingFunctionSchema = Static<typeof attributeMappingFunctionSchemaSchema>;
export const attributeMappingFunctionCollectionSchema = collectionOf(attributeMappingFunctionSchemaSchema);

// ---- schema/parseExpression (Graph's parseExpression) ----

const testValueSchema = Type.Union([
  Type.String({ maxLength: 10_000 }),
  Type.Number(),
  Type.Boolean(),
  Type.Null(),
  Type.Array(Type.String({ maxLength: 10_000 }), { maxItems: 100 }),
]);

/** Graph's expressionInputObject: the object an expression is tested against. */
export const expressionInputObjectSchema = Type.Object({
  definition: Type.Optional(Type.Union([objectDefinitionSchema, Type.Null()])),
  properties: Type.Array(
    Type.Object({ key: Type.String({ minLength: 1, maxLength: 400 }), value: testValueSchema }),
    { maxItems: 200 },
  ),
});
export type ExpressionInputObject = Static<typeof expressionInputObjectSchema>;

export const parseExpressionRequestSchema = Type.Object(
  {
    expression: Type.String({
      maxLength: 10_000,
      description: 'The expression text, e.g. `Join(" ", [givenName], [surname])`.',
    }),
    testInputObject: Type.Optional(Type.Union([expressionInputObjectSchema, Type.Null()])),
    targetAttributeDefinition: Type.Optional(Type.Union([attributeDefinitionSchema, Type.Null()])),
    testUserId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description:
          'Our addition: test against this directory user, read the way a sync cycle reads it (assignment, scope, IsSoftDeleted). `testInputObject` properties override its values.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ParseExpressionRequest = Static<typeof parseExpressionRequestSchema>;

export const parseExpressionErrorSchema = Type.Object({
  code: Type.String({ description: '`expression.<reason>`, e.g. `expression.unknown_function`.' }),
  message: Type.String(),
  details: Type.Optional(Type.Array(Type.Object({ code: Type.String(), message: Type.String() }))),
  // Our additions: where in the expression text (parse errors only).
  start: Type.Optional(Type.Integer()),
  end: Type.Optional(Type.Integer()),
  line: Type.Optional(Type.Integer()),
  column: Type.Optional(Type.Integer()),
  hint: Type.Optional(Type.String()),
});
export type ParseExpressionError = Static<typeof parseExpressionErrorSchema>;

/**
 * What `PUT …/schema` would refuse in a schema, without saving it (our addition, `POST
 * …/schema/validate`): the details of its 400 `schema.invalid`, none when it would be accepted. A
 * dialog checks its draft with it, so the portal applies the rules the worker runs.
 */
export const schemaValidationSchema = Type.Object({ problems: Type.Array(errorDetailSchema) });
export type SchemaValidation = Static<typeof schemaValidationSchema>;

/** What flowed out of an evaluation (our addition; Graph only has `evaluationResult`). */
export const expressionFlowSchema = Type.Union([
  Type.Literal('Value'),
  Type.Literal('NoValue'),
  Type.Literal('IgnoreAttribute'),
  Type.Literal('IgnoreObject'),
]);
export type ExpressionFlow = Static<typeof expressionFlowSchema>;

export const parseExpressionResponseSchema = Type.Object({
  parsingSucceeded: Type.Boolean(),
  evaluationSucceeded: Type.Boolean(),
  evaluationResult: Type.Union([Type.Array(Type.String()), Type.Null()]),
  parsedExpression: Type.Union([attributeMappingSourceSchema, Type.Null()]),
  error: Type.Union([parseExpressionErrorSchema, Type.Null()]),
  // Our additions.
  attributesRead: Type.Array(Type.String(), {
    description: 'Source attributes the expression reads, in order.',
  }),
  inputValues: Type.Array(Type.Object({ key: Type.String(), value: nullableString() }), {
    description: 'The test values of the attributes read (null = absent), as the evaluation saw them.',
  }),
  flow: Type.Union([expressionFlowSchema, Type.Null()], {
    description:
      'Value; NoValue (null: the attribute is not provisioned, a default value applies on creation); IgnoreAttribute (IgnoreFlowIfNullOrEmpty / IgnoreAttributeFlow); IgnoreObject. Null when not evaluated.',
  }),
  redacted: Type.Boolean({
    description: 'Redact() ran: the provisioning logs show [Redact] instead of the value.',
  }),
});
export interface ParseExpressionResponse extends Omit<
  Static<typeof parseExpressionResponseSchema>,
  'parsedExpression'
> {
  parsedExpression: AttributeMappingSource | null;
}
