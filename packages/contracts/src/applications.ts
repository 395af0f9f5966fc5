import { Type, type Static } from 'typebox';
import { collectionOf, displayNameText, nullableString } from './common';

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
    displayName: displayNameText(),
    notes: Type.Optional(Type.Union([Type.String({ maxLength: 1024 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type ServicePrincipalCreate = Static<typeof servicePrincipalCreateSchema>;

/**
 * An app role as an administrator writes it in `PATCH /servicePrincipals/{id}`: Graph's `appRole`.
 * The rules Graph applies beyond the shape (GUID ids, unique `value` without spaces, disable
 * before delete) are checked by the service, so each refusal names the role and the fix.
 */
export const appRoleInputSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64, description: 'A GUID chosen by the caller.' }),
    displayName: displayNameText(120),
    value: Type.Optional(
      Type.Union([Type.String({ maxLength: 120 }), Type.Null()], {
        description: 'What is sent to the application (the SCIM role); no spaces, unique.',
      }),
    ),
    description: Type.String({ maxLength: 1024 }),
    allowedMemberTypes: Type.Array(Type.String({ maxLength: 32 }), {
      minItems: 1,
      maxItems: 2,
      description: '"User" (users and groups), "Application", or both.',
    }),
    isEnabled: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type AppRoleInput = Static<typeof appRoleInputSchema>;

/** `PATCH /servicePrincipals/{id}`: the properties given are replaced; `appRoles` is the whole list. */
export const servicePrincipalUpdateSchema = Type.Object(
  {
    displayName: Type.Optional(displayNameText()),
    notes: Type.Optional(Type.Union([Type.String({ maxLength: 1024 }), Type.Null()])),
    appRoles: Type.Optional(Type.Array(appRoleInputSchema, { maxItems: 500 })),
  },
  { additionalProperties: false },
);
export type ServicePrincipalUpdate = Static<typeof servicePrincipalUpdateSchema>;

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

/**
 * Our addition to Graph (which has no update of an `appRoleAssignment`): changes the role of an
 * assignment in one step, so the principal is never unassigned in between.
 */
export const appRoleAssignmentUpdateSchema = Type.Object(
  { appRoleId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
export type AppRoleAssignmentUpdate = Static<typeof appRoleAssignmentUpdateSchema>;
