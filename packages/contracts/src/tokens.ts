import { Type, type Static } from 'typebox';
import { roleSchema } from './auth';
import { collectionOf, displayNameText, nullableString } from './common';

/** The longest life of an API token, in days. */
export const MAX_TOKEN_DAYS = 365;

/** An API token for automation (our addition): its secret is shown once, when created, and never again. */
const apiTokenProperties = {
  id: Type.String(),
  displayName: Type.String(),
  role: roleSchema,
  state: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('revoked')]),
  createdDateTime: Type.String({ format: 'date-time' }),
  createdBy: Type.Object({ id: Type.String(), userName: Type.String() }),
  expirationDateTime: Type.String({ format: 'date-time' }),
  lastUsedDateTime: nullableString(),
  /** The address the token was last used from. */
  lastUsedFrom: nullableString(),
  revokedDateTime: nullableString(),
};
export const apiTokenSchema = Type.Object(apiTokenProperties);
export type ApiToken = Static<typeof apiTokenSchema>;
export const apiTokenCollectionSchema = collectionOf(apiTokenSchema);

export const apiTokenCreateSchema = Type.Object(
  {
    displayName: displayNameText(100),
    role: roleSchema,
    expiresInDays: Type.Integer({
      minimum: 1,
      maximum: MAX_TOKEN_DAYS,
      description: 'Days until it expires.',
    }),
  },
  { additionalProperties: false },
);
export type ApiTokenCreate = Static<typeof apiTokenCreateSchema>;

/** The answer to a creation: the token itself, to be copied now; only its hash is kept. */
export const apiTokenCreatedSchema = Type.Object({ ...apiTokenProperties, token: Type.String() });
export type ApiTokenCreated = Static<typeof apiTokenCreatedSchema>;
