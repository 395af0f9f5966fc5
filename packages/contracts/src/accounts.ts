import { Type, type Static } from 'typebox';
import { collectionOf } from './common';
import { roleSchema } from './auth';

/** The shortest password a portal account may have. */
export const MIN_PASSWORD_LENGTH = 12;

/** An account that signs in to the portal (our addition; Graph has no such resource). Never its password. */
export const accountSchema = Type.Object({
  id: Type.String(),
  userName: Type.String(),
  role: roleSchema,
  createdDateTime: Type.String({ format: 'date-time' }),
});
export type Account = Static<typeof accountSchema>;
export const accountCollectionSchema = collectionOf(accountSchema);

export const accountCreateSchema = Type.Object(
  {
    userName: Type.String({ minLength: 1, maxLength: 100, pattern: '^\\S+$' }),
    password: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 500 }),
    role: roleSchema,
  },
  { additionalProperties: false },
);
export type AccountCreate = Static<typeof accountCreateSchema>;

export const passwordChangeSchema = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 500 }),
    newPassword: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type PasswordChange = Static<typeof passwordChangeSchema>;

/** A change of an account's role (`PATCH /api/accounts/{id}`): its sessions end. */
export const accountUpdateSchema = Type.Object({ role: roleSchema }, { additionalProperties: false });
export type AccountUpdate = Static<typeof accountUpdateSchema>;
