import { activeMapping, coreUserAttributes, defineTemplate, direct, attr, enterprise } from '../template';

/** Video conferencing: Zoom. */
export const zoomTemplate = defineTemplate({
  id: 'zoom',
  displayName: 'Zoom',
  publisher: 'Zoom Video Communications',
  description:
    'Video conferencing: creates, updates and deactivates the Zoom users of your account. This template provisions users only.',
  categories: ['communication'],
  logo: { letters: 'Z', color: '#0b5cff' },
  homePageUrl: 'https://zoom.us',
  synchronizationTemplateId: 'zoom',
  supportedFeatures: { users: true, groups: false, patch: true, roles: false, onDemand: true },
  scimDialect: {
    patchDialect: 'entra',
    tenantUrlFormat: 'https://api.zoom.us/scim2',
    quirks: [
      '`userName` and the work email must be the same address: Zoom identifies users by email.',
      'Users only: this template has no group mapping (Zoom documents groups over SCIM too; they are not mapped here).',
      "Zoom has documented a limit of one request per second per account on each SCIM2 endpoint: a large first cycle takes hours, and Provisio's adaptive rate keeps to it.",
      '`active` false deactivates the user; the account and its recordings stay.',
    ],
  },
  requestsPerSecond: 1,
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
      'A Zoom Business or Education account with an approved vanity URL and single sign-on enabled.',
      'A Zoom owner or admin, to create the app that issues the token in the Zoom App Marketplace.',
      'An administrator account in Provisio.',
    ],
    credentials:
      'The **Tenant URL** is `https://api.zoom.us/scim2`. For the **Secret Token**, sign in to the Zoom App Marketplace as an owner or admin, create an OAuth or server-to-server OAuth app with the `SCIM2` scope, and copy an access token it issues.',
    firstCycle:
      'Assigned users are matched by user name (their email) and created when Zoom has no such user; Zoom may send new users an activation email.',
    troubleshooting: [
      {
        problem: 'Creating a user fails with 409.',
        fix: 'The email is already used by a Zoom user in another account; ask Zoom to release it or change `mail`.',
      },
      {
        problem: 'Users are created but no groups appear in Zoom.',
        fix: 'This template provisions users only: assign users directly or through groups in Provisio, and manage Zoom groups in Zoom.',
      },
      {
        problem: 'Test Connection fails with 401.',
        fix: 'OAuth access tokens expire: issue a new one from the Marketplace app and save it.',
      },
      {
        problem: 'Creating users fails with 400 "Account has not enabled Single Sign-On".',
        fix: 'Enable single sign-on for the Zoom account first; SCIM provisioning requires it.',
      },
    ],
  },
});
