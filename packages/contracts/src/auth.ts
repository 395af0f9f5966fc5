import { Type, type Static } from 'typebox';

/**
 * Administrator: everything, accounts and API tokens included. Application Administrator:
 * applications, provisioning, assignments, mappings and the directory; not accounts or tokens.
 * Reports Reader: reads the logs, the audit logs and the status; changes nothing.
 */
export const roleSchema = Type.Union([
  Type.Literal('Administrator'),
  Type.Literal('ApplicationAdministrator'),
  Type.Literal('ReportsReader'),
]);
export type Role = Static<typeof roleSchema>;

/** Each role as people read it: the portal, the audit log and error messages say the same. */
export const ROLE_LABEL: Record<Role, string> = {
  Administrator: 'Administrator',
  ApplicationAdministrator: 'Application Administrator',
  ReportsReader: 'Reports Reader',
};

export const signInRequestSchema = Type.Object(
  {
    userName: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type SignInRequest = Static<typeof signInRequestSchema>;

export const meSchema = Type.Object({ userName: Type.String(), role: roleSchema });
export type Me = Static<typeof meSchema>;
