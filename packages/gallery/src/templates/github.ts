import {
  activeMapping,
  coreGroupAttributes,
  coreUserAttributes,
  defaultGroupMappings,
  defineTemplate,
  direct,
  expression,
  rolesAttribute,
  roleId,
} from '../template';

/** Engineering: GitHub Enterprise Cloud with Enterprise Managed Users. */
export const githubTemplate = defineTemplate({
  id: 'github-enterprise-managed-user',
  displayName: 'GitHub Enterprise Managed User',
  publisher: 'GitHub',
  description:
    'Creates and suspends the managed user accounts of a GitHub enterprise with Enterprise Managed Users, with their enterprise role, and keeps identity provider groups that can be linked to teams.',
  categories: ['developerServices', 'collaboration'],
  logo: { letters: 'GH', color: '#24292f' },
  homePageUrl: 'https://github.com',
  synchronizationTemplateId: 'githubemu',
  supportedFeatures: { users: true, groups: true, patch: true, roles: true, onDemand: true },
  scimDialect: {
    patchDialect: 'entra',
    tenantUrlFormat: 'https://api.github.com/scim/v2/enterprises/{enterprise}',
    quirks: [
      "The managed user's handle is derived from `userName` and the enterprise's short code (`{normalized userName}_{short code}`); two user names that normalize alike collide.",
      '`active` false suspends the account; it is not deleted, and it can be reactivated.',
      'Provisioned groups do nothing until an enterprise owner links them to a team or an organization.',
    ],
  },
  requestsPerSecond: 10,
  userAttributes: coreUserAttributes(rolesAttribute()),
  groupAttributes: coreGroupAttributes(),
  userMappings: [
    direct('userPrincipalName', 'userName', 1),
    activeMapping(),
    direct('displayName', 'displayName'),
    direct('givenName', 'name.givenName'),
    direct('surname', 'name.familyName'),
    direct('mail', 'emails[type eq "work"].value'),
    direct('objectId', 'externalId'),
    expression('SingleAppRoleAssignment([appRoleAssignments])', 'roles'),
  ],
  groupMappings: defaultGroupMappings(),
  appRoles: [
    {
      id: roleId('6a1b0000', 1),
      displayName: 'Enterprise user',
      value: 'user',
      description: 'A member of the enterprise.',
      allowedMemberTypes: ['User'],
    },
    {
      id: roleId('6a1b0000', 2),
      displayName: 'Enterprise Owner',
      value: 'enterprise_owner',
      description: 'Full control of the enterprise.',
      allowedMemberTypes: ['User'],
    },
    {
      id: roleId('6a1b0000', 3),
      displayName: 'Billing Manager',
      value: 'billing_manager',
      description: "Manages the enterprise's billing.",
      allowedMemberTypes: ['User'],
    },
    {
      id: roleId('6a1b0000', 4),
      displayName: 'Guest Collaborator',
      value: 'guest_collaborator',
      description: 'Access limited to the repositories it is given.',
      allowedMemberTypes: ['User'],
    },
  ],
  tutorial: {
    prerequisites: [
      'A GitHub enterprise created for Enterprise Managed Users, and its setup user (`{short code}_admin`).',
      'Single sign-on for the enterprise configured with your identity provider.',
      'An administrator account in Provisio.',
    ],
    credentials:
      'The **Tenant URL** is `https://api.github.com/scim/v2/enterprises/{enterprise}`, where `{enterprise}` is the slug in the address of your enterprise (`github.com/enterprises/{enterprise}`). The **Secret Token** is a personal access token (classic) of the setup user with the `scim:enterprise` scope and no expiry, created under **Settings > Developer settings > Personal access tokens** while signed in as the setup user.',
    extraSteps: [
      'Assign each user a role of the application (Enterprise user, Enterprise Owner, Billing Manager or Guest Collaborator); it is sent in `roles`.',
    ],
    firstCycle:
      "Each assigned user becomes a managed user account with the role you assigned; each assigned group appears under the enterprise's identity provider groups with its members, ready to be linked to a team.",
    troubleshooting: [
      {
        problem: 'Test Connection fails with 401 or 403.',
        fix: "The token is not the setup user's, lacks `scim:enterprise`, or has expired: create a new one as the setup user.",
      },
      {
        problem: 'Creating a user fails with 409.',
        fix: 'Another user name normalizes to the same handle: change `userName` with an expression so that each is unique.',
      },
      {
        problem: 'A group is provisioned but nobody gets access.',
        fix: "Link the identity provider group to a team in the organization's team settings.",
      },
    ],
  },
});
