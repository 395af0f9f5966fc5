import { activeMapping, coreUserAttributes, defineTemplate, direct, attr, enterprise } from '../template';

/** Video conferencing: Zoom. */
export const zoomTemplate = defineTemplate({
  id: 'zoom',
  displayName: 'Zoom',
  publisher: 'Zoom Video Communications',
  description:
    'Video conferencing: creates, updates and deactivates the Zoom users of your account. Zoom has no groups over SCIM: users only.',
  categories: ['communication'],
  logo: { letters: 'Z', color: '#0b5cff' },
  homePageUrl: 'https://zoom.us',
  synchronizationTemplateId: 'zoom',
  supportedFeatures: { users: true, groups: false, patch: true, roles: false, onDemand: true },
  scimDialect: {
    patchDialect: 'entra',
    tenantUrlFormat: 'https://api.zoom.us/scim',
    quirks: [
      '`userName` and the work email must be the same address: Zoom identifies users by email.',
      'Users only: group provisioning is not available.',
      '`active` false deactivates the user; the account and its recordings stay.',
    ],
  },
  requestsPerSecond: 10,
  userAttributes: coreUserAttributes(attr(enterprise('department')), attr('title')),
  groupAttributes: null,
  userMappings: [
    direct('userPrincipalName', 'userName', 1),
    activeMapping(),
    direct('mail', 'emails[type eq "work"].value'),
    direct('givenName', 'name.givenName'),
    direct('surname', 'name.familyName'),
    direct('displayName', 'displayName'),
    direct('jobTitle', 'title'),
    direct('department', enterprise('department')),
  ],
  groupMappings: null,
  appRoles: [],
  tutorial: {
    prerequisites: [
      'A Zoom account with an owner or admin who may use the Zoom App Marketplace.',
      "The users' email domain associated with the Zoom account.",
      'An administrator account in Provisio.',
    ],
    credentials:
      'The **Tenant URL** is `https://api.zoom.us/scim`. For the **Secret Token**, sign in to the Zoom App Marketplace as an admin, build an app with SCIM access (the `scim2` scopes) and copy its access token.',
    firstCycle:
      'Assigned users are matched by user name (their email) and created when Zoom has no such user; Zoom may send new users an activation email.',
    troubleshooting: [
      {
        problem: 'Creating a user fails with 409.',
        fix: 'The email is already used by a Zoom user in another account; ask Zoom to release it or change `mail`.',
      },
      {
        problem: 'Users are created but the group mapping is missing.',
        fix: 'Zoom has no groups over SCIM; assign users directly or through groups in Provisio.',
      },
      {
        problem: 'Test Connection fails with 401.',
        fix: 'The token has expired; create a new one in the Marketplace app.',
      },
    ],
  },
});
