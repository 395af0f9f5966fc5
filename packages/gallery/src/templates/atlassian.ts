import {
  activeMapping,
  coreGroupAttributes,
  coreUserAttributes,
  attr,
  defaultGroupMappings,
  defineTemplate,
  direct,
  enterprise,
} from '../template';

/** Ticketing: Atlassian Cloud (Jira, Jira Service Management, Confluence). */
export const atlassianTemplate = defineTemplate({
  id: 'atlassian-cloud',
  displayName: 'Atlassian Cloud',
  publisher: 'Atlassian',
  description:
    'Keeps the managed accounts and groups of an Atlassian organization (Jira, Jira Service Management, Confluence) in line with your directory; product access follows the groups.',
  categories: ['itServiceManagement', 'collaboration'],
  logo: { letters: 'A', color: '#0052cc' },
  homePageUrl: 'https://www.atlassian.com',
  synchronizationTemplateId: 'atlassian',
  supportedFeatures: { users: true, groups: true, patch: true, roles: false, onDemand: true },
  scimDialect: {
    patchDialect: 'entra',
    tenantUrlFormat: 'https://api.atlassian.com/scim/directory/{directoryId}',
    quirks: [
      'Accounts are identified by email, and the email domain must be verified in the Atlassian organization.',
      '`active` false deactivates the account and removes its product access; Atlassian does not delete accounts over SCIM.',
      'Group names must be unique in the organization, and groups synced from the directory cannot be edited in Atlassian Administration.',
    ],
  },
  requestsPerSecond: 10,
  userAttributes: coreUserAttributes(
    attr('title'),
    attr(enterprise('department')),
    attr(enterprise('organization')),
  ),
  groupAttributes: coreGroupAttributes(),
  userMappings: [
    direct('userPrincipalName', 'userName', 1),
    activeMapping(),
    direct('mail', 'emails[type eq "work"].value'),
    direct('displayName', 'displayName'),
    direct('givenName', 'name.givenName'),
    direct('surname', 'name.familyName'),
    direct('jobTitle', 'title'),
    direct('department', enterprise('department')),
    direct('objectId', 'externalId'),
  ],
  groupMappings: defaultGroupMappings(),
  appRoles: [],
  tutorial: {
    prerequisites: [
      'An Atlassian organization with Atlassian Guard (formerly Access) and a verified domain.',
      'An organization admin to create the identity provider directory.',
      'An administrator account in Provisio.',
    ],
    credentials:
      'In Atlassian Administration, go to **Security > Identity providers**, add an identity provider directory (choose *Other provider* if yours is not listed) and set up **user provisioning**. Atlassian then shows the **Directory base URL** (the Tenant URL, `https://api.atlassian.com/scim/directory/{directoryId}`) and an **API key** (the Secret Token). Copy the key at once: it is shown only once.',
    extraSteps: [
      'In Atlassian Administration, give the provisioned groups product access (Jira, Confluence…), so that their members can sign in.',
    ],
    firstCycle:
      'Assigned users with an email in a verified domain become managed accounts; assigned groups appear with their members. Users get product access only through the groups you give access to.',
    troubleshooting: [
      {
        problem: 'Creating a user fails with 400 about the email.',
        fix: 'The email domain is not verified in the Atlassian organization: verify it, then retry.',
      },
      {
        problem: 'Users exist but cannot open Jira.',
        fix: 'Give a provisioned group product access in Atlassian Administration and assign the users to that group.',
      },
      {
        problem: 'Test Connection fails with 401.',
        fix: 'The API key was regenerated or revoked: copy the new one.',
      },
    ],
  },
});
