import { Type, type Static } from 'typebox';
import { collectionOf, nullableString } from './common';

export const appRoleSchema = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  value: nullableString(),
  description: Type.String(),
  allowedMemberTypes: Type.Array(Type.String()),
  isEnabled: Type.Boolean(),
});
export type AppRole = Static<typeof appRoleSchema>;

/** The role every application has: "User" access without a named role (Graph's all-zero id). */
export const DEFAULT_ACCESS_ROLE_ID = '00000000-0000-0000-0000-000000000000';

/** An enterprise application, shaped after Graph's `servicePrincipal`. */
export const servicePrincipalSchema = Type.Object({
  id: Type.String(),
  appId: Type.String(),
  displayName: Type.String(),
  applicationTemplateId: nullableString(),
  appRoles: Type.Array(appRoleSchema),
  createdDateTime: Type.String({ format: 'date-time' }),
  notes: nullableString(),
});
export type ServicePrincipal = Static<typeof servicePrincipalSchema>;
export const servicePrincipalCollectionSchema = collectionOf(servicePrincipalSchema);

export const servicePrincipalCreateSchema = Type.Object(
  {
    displayName: Type.String({ minLength: 1, maxLength: 256 }),
    notes: Type.Optional(Type.Union([Type.String({ maxLength: 1024 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type ServicePrincipalCreate = Static<typeof servicePrincipalCreateSchema>;

export const principalTypeSchema = Type.Union([Type.Literal('User'), Type.Literal('Group')]);
export type PrincipalType = Static<typeof principalTypeSchema>;

/** An assignment, shaped after Graph's `appRoleAssignment`. */
export const appRoleAssignmentSchema = Type.Object({
  id: Type.String(),
  appRoleId: Type.String(),
  principalId: Type.String(),
  principalType: principalTypeSchema,
  principalDisplayName: Type.String(),
  resourceId: Type.String(),
  resourceDisplayName: Type.String(),
  createdDateTime: Type.String({ format: 'date-time' }),
});
export type AppRoleAssignment = Static<typeof appRoleAssignmentSchema>;
export const appRoleAssignmentCollectionSchema = collectionOf(appRoleAssignmentSchema);

export const appRoleAssignmentCreateSchema = Type.Object(
  {
    principalId: Type.String({ minLength: 1, maxLength: 64 }),
    resourceId: Type.Optional(Type.String({ maxLength: 64 })),
    appRoleId: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type AppRoleAssignmentCreate = Static<typeof appRoleAssignmentCreateSchema>;
