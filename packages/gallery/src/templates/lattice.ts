import { activeMapping, attr, defineTemplate, direct, directOnCreate, enterprise } from '../template';

/** HR: Lattice (people management). */
export const latticeTemplate = defineTemplate({
  id: 'lattice',
  displayName: 'Lattice',
  publisher: 'Lattice',
  description:
    'People management (reviews, goals, feedback): creates, updates and deactivates the people of a Lattice account, with their department and manager. Lattice has no groups over SCIM: users only.',
  categories: ['humanResources'],
  logo: { letters: 'La', color: '#2b2d42' },
  homePageUrl: 'https://lattice.com',
  synchronizationTemplateId: 'lattice',
  supportedFeatures: { users: true, groups: false, patch: true, roles: false, onDemand: true },
  scimDialect: {
    patchDialect: 'aadOptscim062020',
    tenantUrlFormat: 'https://api.latticehq.com/scim/v2',
    quirks: [
      'Expects the RFC 7644 PATCH forms: without `?aadOptscim062020` on the Tenant URL, deactivating a user fails.',
      '`userName` is the work email, required, in the form of an email address.',
      '`externalId` is stored on the first sync only and then used to recognise the person.',
      'Users only: groups and bulk requests are not available, and filtered target attributes such as `emails[type eq "work"].value` are not accepted, so the default mappings use none.',
      'A person created over SCIM is not invited automatically: a Lattice admin sends the invitation.',
      'Lattice does not publish a SCIM rate limit; Provisio keeps to a conservative rate.',
    ],
  },
  requestsPerSecond: 5,
  userAttributes: [
    attr('userName', { required: true }),
    attr('active', { type: 'Boolean' }),
    attr('displayName'),
    attr('name.givenName'),
    attr('name.familyName'),
    attr('externalId'),
    attr('title'),
    attr(enterprise('department')),
    attr(enterprise('manager'), { type: 'Reference', referencedObjects: [{ referencedObjectName: 'User' }] }),
  ],
  groupAttributes: null,
  userMappings: [
    direct('userPrincipalName', 'userName', 1),
    activeMapping(),
    direct('displayName', 'displayName'),
    direct('givenName', 'name.givenName'),
    direct('surname', 'name.familyName'),
    direct('jobTitle', 'title'),
    direct('department', enterprise('department')),
    direct('manager', enterprise('manager')),
    directOnCreate('objectId', 'externalId'),
  ],
  groupMappings: null,
  appRoles: [],
  tutorial: {
    prerequisites: [
      'A Lattice plan that includes SCIM, and a Lattice super admin (IT admin permissions are not enough to create a key with SCIM access).',
      "The users' `userPrincipalName` equal to the work email they use in Lattice.",
      'An administrator account in Provisio.',
    ],
    credentials:
      'The **Tenant URL** is `https://api.latticehq.com/scim/v2`, the same for every company; the key says which one. In Lattice, turn on SCIM under **Admin > Settings > Platform > Integrations**, then, as a super admin, create a key under **Admin > Settings > Platform > API keys**: it is the **Secret Token**. Revoking that key stops provisioning.',
    firstCycle:
      'Assigned users are matched by work email; people Lattice already has are linked and updated, the others are created and wait for an admin to invite them. Managers are set once both people exist in Lattice.',
    troubleshooting: [
      {
        problem: 'Deactivating a user fails while other updates work.',
        fix: 'The Tenant URL lacks `?aadOptscim062020`: add it and save.',
      },
      {
        problem:
          'A mapping to a filtered attribute (`emails[type eq "work"].value`, `phoneNumbers[...]`) is rejected.',
        fix: 'Lattice does not accept filtered target attributes; remove that mapping. The work email already travels in `userName`.',
      },
      {
        problem: 'Test Connection fails with 401 or 403.',
        fix: 'SCIM is not turned on in Lattice, or the key was made by someone who is not a super admin, or it was revoked: fix that and enter a new key.',
      },
    ],
  },
});
