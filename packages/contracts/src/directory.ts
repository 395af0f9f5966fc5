import { Type, type Static } from 'typebox';
import { collectionOf, displayNameText, nullableString } from './common';
import {
  EXTENSION_ATTRIBUTE_PATTERN,
  extensionAttributeValueSchema,
  type ExtensionAttributes,
} from './extension-properties';

/** Directory extension attributes sit on a user as Graph puts them: top-level `extension_<appId>_<name>` keys. */
const extensionAttributeProperties = { [EXTENSION_ATTRIBUTE_PATTERN]: extensionAttributeValueSchema };

/** A directory user, shaped after Graph's `user`. */
export const userSchema = Type.Object(
  {
    id: Type.String(),
    userPrincipalName: Type.String(),
    displayName: Type.String(),
    givenName: nullableString(),
    surname: nullableString(),
    mail: nullableString(),
    mailNickname: nullableString(),
    department: nullableString(),
    jobTitle: nullableString(),
    employeeId: nullableString(),
    accountEnabled: Type.Boolean(),
    managerId: nullableString(),
    createdDateTime: Type.String({ format: 'date-time' }),
    deletedDateTime: nullableString(),
  },
  { patternProperties: extensionAttributeProperties },
);
export type User = Static<typeof userSchema> & ExtensionAttributes;

const upn = Type.String({
  minLength: 3,
  maxLength: 113,
  pattern: '^[^@\\s]+@[^@\\s]+$',
  description: 'A user principal name such as `adele@contoso.com`.',
});
const optText = (max = 256) => Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()]));

export const userCreateSchema = Type.Object(
  {
    userPrincipalName: upn,
    displayName: displayNameText(),
    givenName: optText(64),
    surname: optText(64),
    mail: optText(),
    mailNickname: optText(64),
    department: optText(64),
    jobTitle: optText(128),
    employeeId: optText(16),
    accountEnabled: Type.Optional(Type.Boolean()),
    managerId: optText(64),
  },
  { additionalProperties: false, patternProperties: extensionAttributeProperties },
);
/** A new user; extension attributes as top-level `extension_<appId>_<name>` keys (null or absent: none). */
export type UserCreate = Static<typeof userCreateSchema> & ExtensionAttributes;

export const userUpdateSchema = Type.Partial(userCreateSchema, {
  additionalProperties: false,
  patternProperties: extensionAttributeProperties,
});
/** The properties to change; an extension attribute set to null is cleared. */
export type UserUpdate = Static<typeof userUpdateSchema> & ExtensionAttributes;

export const userCollectionSchema = collectionOf(userSchema);

export const groupSchema = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  description: nullableString(),
  mailNickname: nullableString(),
  securityEnabled: Type.Boolean(),
  memberCount: Type.Integer({ description: 'Direct members (an addition to Graph).' }),
  createdDateTime: Type.String({ format: 'date-time' }),
  deletedDateTime: nullableString(),
});
export type Group = Static<typeof groupSchema>;

export const groupCreateSchema = Type.Object(
  {
    displayName: displayNameText(),
    description: optText(1024),
    mailNickname: optText(64),
    securityEnabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type GroupCreate = Static<typeof groupCreateSchema>;
export const groupUpdateSchema = Type.Partial(groupCreateSchema, { additionalProperties: false });
export type GroupUpdate = Static<typeof groupUpdateSchema>;
export const groupCollectionSchema = collectionOf(groupSchema);

/** Graph's `$ref` body: `{ "@odata.id": "https://…/users/{id}" }`; the last path segment is the id. */
export const directoryObjectRefSchema = Type.Object(
  { '@odata.id': Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);
export type DirectoryObjectRef = Static<typeof directoryObjectRefSchema>;
