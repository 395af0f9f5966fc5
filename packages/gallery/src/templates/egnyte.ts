import {
  activeMapping,
  attr,
  coreGroupAttributes,
  coreUserAttributes,
  defaultGroupMappings,
  defineTemplate,
  direct,
  directOnCreate,
} from '../template';

/** File sharing: Egnyte (one Egnyte domain per application). */
export const egnyteTemplate = defineTemplate({
  id: 'egnyte',
  displayName: 'Egnyte',
  publisher: 'Egnyte',
  description:
    'File sharing and content governance: creates, updates and deactivates the users of an Egnyte domain and keeps Egnyte groups in line with your groups.',
  categories: ['contentManagement', 'collaboration'],
  logo: { letters: 'Eg', color: '#00968f' },
  homePageUrl: 'https://www.egnyte.com',
  synchronizationTemplateId: 'egnyte',
  supportedFeatures: { users: true, groups: true, patch: true, roles: false, onDemand: true },
  scimDialect: {
    patchDialect: 'entra',
    tenantUrlFormat: 'https://{domain}.egnyte.com/pubapi/scim/v2/azure-connector',
    quirks: [
      'The Tenant URL names one Egnyte domain: create one application per domain (EgnyteGov domains use `egnytegov.com`).',
      'An Egnyte username starts with a letter or a digit and may otherwise hold only letters, digits, periods, hyphens and underscores: the default mapping sends `mailNickname`.',
      'A username cannot be changed once the user exists, and `externalId` is immutable: it is sent when the user is created only.',
      'Egnyte does not publish a SCIM rate limit; Provisio keeps to a conservative rate.',
    ],
  },
  requestsPerSecond: 5,
  userAttributes: coreUserAttributes(attr('title')),
  groupAttributes: coreGroupAttributes(),
  userMappings: [
    direct('mailNickname', 'userName', 1),
    activeMapping(),
    direct('mail', 'emails[type eq "work"].value'),
    direct('givenName', 'name.givenName'),
    direct('surname', 'name.familyName'),
    direct('displayName', 'displayName'),
    direct('jobTitle', 'title'),
    directOnCreate('objectId', 'externalId'),
  ],
  groupMappings: defaultGroupMappings(),
  appRoles: [],
  tutorial: {
    prerequisites: [
      'An Egnyte domain and an account with domain administrator rights (a service account is best, so that the token does not depend on one person).',
      'An administrator account in Provisio.',
    ],
    credentials:
      "The **Tenant URL** is `https://{domain}.egnyte.com/pubapi/scim/v2/azure-connector`, with `{domain}` replaced by your Egnyte domain's name. For the **Secret Token**, sign in to Egnyte's SCIM token page (`https://scim-20.egnyte.com`) with the domain administrator account and generate a token for the domain.",
    firstCycle:
      'Assigned users are matched by username; those Egnyte already has are linked and updated, the others are created. Assigned groups become Egnyte groups with their members.',
    troubleshooting: [
      {
        problem: 'Creating a user fails because the username is not valid.',
        fix: "The user's `mailNickname` holds a character Egnyte does not accept in usernames; change it in the directory, or map `userName` from an expression that removes it.",
      },
      {
        problem: 'Updating a user fails after their `mailNickname` changed.',
        fix: 'Egnyte does not let a username change once the user exists: restore the old value in the directory, or have an Egnyte admin change the username first.',
      },
      {
        problem: 'Test Connection fails with 401.',
        fix: 'The token was made for another domain or has been revoked: generate a new one as an administrator of this domain.',
      },
    ],
  },
});
