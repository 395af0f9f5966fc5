import { Type, type Static, type TSchema } from 'typebox';

/** One problem of a refused request: the field at fault (`target`) and what to do about it. */
export const errorDetailSchema = Type.Object({
  code: Type.String(),
  message: Type.String(),
  target: Type.Optional(Type.String({ description: 'The field at fault, e.g. `body/userName`.' })),
  // Additions to Graph for problems inside an attribute mapping (schema PUT).
  objectMappingName: Type.Optional(Type.String({ description: 'The object mapping at fault.' })),
  targetAttributeName: Type.Optional(
    Type.String({ description: 'The target attribute of the attribute mapping at fault.' }),
  ),
  start: Type.Optional(
    Type.Integer({ description: 'For an expression: offset of the first character in error.' }),
  ),
  end: Type.Optional(Type.Integer({ description: 'For an expression: offset just past the error.' })),
  line: Type.Optional(Type.Integer({ description: 'For an expression: 1-based line of `start`.' })),
  column: Type.Optional(Type.Integer({ description: 'For an expression: 1-based column of `start`.' })),
  hint: Type.Optional(Type.String({ description: 'For an expression: how to fix it.' })),
});
export type ErrorDetail = Static<typeof errorDetailSchema>;

/**
 * A name a person gives (a user's, a group's, an application's): at least one character other than a
 * blank or an invisible one, as a name of those alone shows as nothing in every list and is refused
 * by applications.
 */
export const displayNameText = (maxLength = 256) =>
  Type.String({
    minLength: 1,
    maxLength,
    // Blanks, and the characters that take no room (zero-width space and joiners, word joiner).
    pattern: '[^\\s\\u200B-\\u200D\\u2060\\u180E]',
    description: 'Enter at least one character other than a blank or an invisible character.',
  });

/** Graph's error envelope, the one error shape of every route. */
export const errorBodySchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine code, `<entity>.<reason>`.' }),
      message: Type.String({ description: 'What happened and how to fix it.' }),
      details: Type.Optional(Type.Array(errorDetailSchema)),
      requestId: Type.String(),
    }),
  },
  { $id: 'ErrorBody' },
);
export type ErrorBody = Static<typeof errorBodySchema>;

/** A Graph collection page: `value` plus a `@odata.nextLink` when there is more. */
export const collectionOf = <T extends TSchema>(item: T) =>
  Type.Object({
    value: Type.Array(item),
    '@odata.nextLink': Type.Optional(Type.String()),
    '@odata.count': Type.Optional(Type.Integer()),
  });
export interface Collection<T> {
  value: T[];
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
}

export const idParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

export const pageQuerySchema = Type.Object({
  $top: Type.Optional(Type.Integer({ minimum: 1, maximum: 999, description: 'Page size (1–999).' })),
  $skiptoken: Type.Optional(Type.String({ maxLength: 500 })),
  $search: Type.Optional(Type.String({ maxLength: 200, description: 'Case-insensitive text to look for.' })),
  $count: Type.Optional(Type.Boolean()),
});
export type PageQuery = Static<typeof pageQuerySchema>;

export const keyValueSchema = Type.Object({ key: Type.String(), value: Type.String() });
export type KeyValue = Static<typeof keyValueSchema>;

export const modifiedPropertySchema = Type.Object({
  displayName: Type.String(),
  oldValue: Type.Union([Type.String(), Type.Null()]),
  newValue: Type.Union([Type.String(), Type.Null()]),
});
export type ModifiedProperty = Static<typeof modifiedPropertySchema>;

export const nullableString = (options?: { maxLength?: number; description?: string }) =>
  Type.Union([Type.String(options), Type.Null()]);
