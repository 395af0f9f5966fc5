import { activeMapping, coreUserAttributes, defineTemplate, direct, attr, enterprise } from '../template';

/** Design: Figma (Organization and Enterprise plans). */
export const figmaTemplate = defineTemplate({
  id: 'figma',
  displayName: 'Figma',
  publisher: 'Figma',
  description: 'Creates, updates and deactivates the members of a Figma organization. Users only.',
  categories: ['design', 'collaboration'],
  logo: { letters: 'F', color: '#a259ff' },
  homePageUrl: 'https://www.figma.com',
  synchronizationTemplateId: 'figma',
  supportedFeatures: { users: true, groups: false, patch: true, roles: false, onDemand: true },
  scimDialect: {
    patchDialect: 'entra',
    tenantUrlFormat: 'https://www.figma.com/scim/v2/{tenantId}',
    quirks: [
      '`userName` must be the email address the person signs in to Figma with.',
      'Users only: group provisioning is not available.',
      'SCIM provisioning needs SAML single sign-on to be configured for the organization first.',
    ],
  },
  requestsPerSecond: 10,
  userAttributes: coreUserAttributes(attr('title'), attr(enterprise('department'))),
  groupAttributes: null,
  userMappings: [
    direct('userPrincipalName', 'userName', 1),
    activeMapping(),
    direct('displayName', 'displayName'),
    direct('givenName', 'name.givenName'),
    direct('surname', 'name.familyName'),
    direct('jobTitle', 'title'),
    direct('department', enterprise('department')),
    direct('objectId', 'externalId'),
  ],
  groupMappings: null,
  appRoles: [],
  tutorial: {
    prerequisites: [
      'A Figma Organization or Enterprise plan, with SAML single sign-on configured.',
      'A Figma organization admin.',
      'An administrator account in Provisio.',
    ],
    credentials:
      "In Figma, open the organization's **Admin > Settings > Login and provisioning**. The **Tenant ID** shown there completes the Tenant URL (`https://www.figma.com/scim/v2/{tenantId}`); under **SCIM provisioning**, **Generate API token** gives the Secret Token, shown once.",
    firstCycle:
      'Assigned users are matched by user name (their email) and added to the organization when missing.',
    troubleshooting: [
      {
        problem: 'Creating a user fails with 400.',
        fix: 'The user name is not an email address: map an email to `userName`.',
      },
      {
        problem: 'Test Connection fails with 401.',
        fix: 'A newer API token replaced this one: generate a token again and save it.',
      },
    ],
  },
});
