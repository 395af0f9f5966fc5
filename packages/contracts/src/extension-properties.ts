import { Type, type Static } from 'typebox';
import { collectionOf } from './common';

/** The data types a directory extension attribute may have (a subset of Graph's). */
export const EXTENSION_DATA_TYPES = ['String', 'Integer', 'Boolean', 'DateTime'] as const;
export type ExtensionDataType = (typeof EXTENSION_DATA_TYPES)[number];
const dataTypeSchema = Type.Union([
  Type.Literal('String'),
  Type.Literal('Integer'),
  Type.Literal('Boolean'),
  Type.Literal('DateTime'),
]);

/**
 * The full name of a directory extension attribute, as Entra names it: `extension_<appId>_<name>`,
 * where `<appId>` is the directory's extension application id (32 hexadecimal digits).
 */
export const EXTENSION_ATTRIBUTE_PATTERN = '^extension_[0-9a-f]{32}_[A-Za-z][A-Za-z0-9_]{0,79}$';

/** The value of an extension attribute on a user: one value of its type, a list when multi-valued, or null. */
const extensionScalarSchema = Type.Union([Type.String({ maxLength: 1024 }), Type.Integer(), Type.Boolean()]);
export const extensionAttributeValueSchema = Type.Union([
  extensionScalarSchema,
  Type.Array(extensionScalarSchema, { maxItems: 100 }),
  Type.Null(),
]);
export type ExtensionAttributeValue = Static<typeof extensionAttributeValueSchema>;

/** Extension attributes as they sit on a user: `extension_<appId>_<name>` → value. */
export type ExtensionAttributes = { [name: `extension_${string}`]: ExtensionAttributeValue | undefined };

/** Graph's `extensionProperty`: a directory extension attribute an administrator defined. */
export const extensionPropertySchema = Type.Object({
  id: Type.String(),
  name: Type.String({ description: 'The full name, `extension_<appId>_<name>`, as users carry it.' }),
  appDisplayName: Type.String({ description: 'The application the extension belongs to.' }),
  dataType: dataTypeSchema,
  isMultiValued: Type.Boolean(),
  isSyncedFromOnPremises: Type.Boolean(),
  targetObjects: Type.Array(Type.Literal('User')),
  createdDateTime: Type.String({ format: 'date-time' }),
});
export type ExtensionProperty = Static<typeof extensionPropertySchema>;
export const extensionPropertyCollectionSchema = collectionOf(extensionPropertySchema);

export const extensionPropertyCreateSchema = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 80,
      pattern: '^[A-Za-z][A-Za-z0-9_]*$',
      description:
        'The short name (`costCenter`); the answer carries the full `extension_<appId>_costCenter`.',
    }),
    dataType: dataTypeSchema,
    isMultiValued: Type.Optional(Type.Boolean()),
    targetObjects: Type.Optional(Type.Array(Type.Literal('User'), { minItems: 1, maxItems: 1 })),
  },
  { additionalProperties: false },
);
export type ExtensionPropertyCreate = Static<typeof extensionPropertyCreateSchema>;

/** The short name of an extension attribute: `extension_<appId>_costCenter` → `costCenter`. */
export const extensionShortName = (fullName: string): string =>
  /^extension_[0-9a-f]{32}_(.+)$/.exec(fullName)?.[1] ?? fullName;
