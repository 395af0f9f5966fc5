import {
  activeMapping,
  coreGroupAttributes,
  coreUserAttributes,
  defaultGroupMappings,
  defineTemplate,
  direct,
} from '../template';

/** Password manager: 1Password Business, through the 1Password SCIM bridge. */
export const onePasswordTemplate = defineTemplate({
  id: '1password-business',
  displayName: '1Password Business',
  publisher: '1Password',
  description:
    'Invites, updates and suspends 1Password Business team members and keeps 1Password groups in line with your groups, through the SCIM bridge you deploy.',
  categories: ['security'],
  logo: { letters: '1P', color: '#1a8cff' },
  homePageUrl: 'https://1password.com',
  synchronizationTemplateId: 'onepassword',
  supportedFeatures: { users: true, groups: true, patch: true, roles: false, onDemand: true },
  scimDialect: {
    patchDialect: 'entra',
    tenantUrlFormat: 'https://{your-scim-bridge}',
    quirks: [
      'Provisioning talks to the 1Password SCIM bridge your organization deploys, not to 1Password itself; the bridge must be running and reachable from Provisio.',
      'A created user is invited and must accept the invitation (and an admin may have to confirm them) before they can use 1Password.',
      '`active` false suspends the member; their vaults are kept.',
      "1Password's built-in groups (Owners, Administrators, Team Members) are not managed by provisioning.",
    ],
  },
  requestsPerSecond: 10,
  userAttributes: coreUserAttributes(),
  groupAttributes: coreGroupAttributes(),
  userMappings: [
    direct('mail', 'userName', 1),
    activeMapping(),
    direct('displayName', 'displayName'),
    direct('givenName', 'name.givenName'),
    direct('surname', 'name.familyName'),
    direct('mail', 'emails[type eq "work"].value'),
    direct('objectId', 'externalId'),
  ],
  groupMappings: defaultGroupMappings(),
  appRoles: [],
  tutorial: {
    prerequisites: [
      'A 1Password Business account and an owner or administrator of it.',
      'The 1Password SCIM bridge deployed where Provisio can reach it over HTTPS.',
      'An administrator account in Provisio.',
    ],
    credentials:
      'In 1Password, go to **Integrations > Automated User Provisioning** and set up the SCIM bridge; 1Password gives a `scimsession` file for the bridge and a **bearer token** (the Secret Token). The **Tenant URL** is the address of your deployed bridge, for example `https://scim.example.com`.',
    firstCycle:
      'Assigned users are matched by email and invited when they are not members yet; they show as *Invited* until they accept. Assigned groups are created with their members.',
    troubleshooting: [
      {
        problem: 'Test Connection cannot connect.',
        fix: 'The SCIM bridge is down or not reachable from Provisio: check its address, its TLS certificate and that it is running.',
      },
      {
        problem: 'Users stay *Invited*.',
        fix: 'They must accept the invitation email; an administrator may also need to confirm them in 1Password.',
      },
      {
        problem: 'Test Connection fails with 401.',
        fix: 'The bearer token was regenerated: copy the new one from 1Password.',
      },
    ],
  },
});
