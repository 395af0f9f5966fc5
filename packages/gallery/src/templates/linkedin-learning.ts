import {
  activeMapping,
  attr,
  coreGroupAttributes,
  coreUserAttributes,
  defaultGroupMappings,
  defineTemplate,
  direct,
  enterprise,
} from '../template';

/** Learning: LinkedIn Learning. */
export const linkedInLearningTemplate = defineTemplate({
  id: 'linkedin-learning',
  displayName: 'LinkedIn Learning',
  publisher: 'LinkedIn',
  description:
    'Online courses: creates learner profiles, assigns and revokes LinkedIn Learning licenses for the people you assign and keeps LinkedIn Learning groups in line with your groups.',
  categories: ['education'],
  logo: { letters: 'Li', color: '#0a66c2' },
  homePageUrl: 'https://learning.linkedin.com',
  synchronizationTemplateId: 'linkedinlearning',
  supportedFeatures: { users: true, groups: true, patch: true, roles: false, onDemand: true },
  scimDialect: {
    patchDialect: 'entra',
    tenantUrlFormat: 'https://api.linkedin.com/scim',
    quirks: [
      'Users are matched on `externalId`, the one user attribute LinkedIn Learning filters on.',
      'LinkedIn Learning never deletes a profile over SCIM: taking a user out of scope revokes their license.',
      'Once SCIM is on, users and licenses can no longer be edited in the LinkedIn Learning admin center; changes made by provisioning show there within about an hour.',
      'Admin permissions are not set over SCIM; they stay in the admin center.',
      'LinkedIn does not publish a SCIM rate limit; Provisio keeps to a conservative rate.',
    ],
  },
  requestsPerSecond: 5,
  userAttributes: coreUserAttributes(
    attr('title'),
    attr(enterprise('department')),
    attr(enterprise('manager'), { type: 'Reference', referencedObjects: [{ referencedObjectName: 'User' }] }),
  ),
  groupAttributes: coreGroupAttributes(),
  userMappings: [
    direct('objectId', 'externalId', 1),
    direct('userPrincipalName', 'userName'),
    activeMapping(),
    direct('givenName', 'name.givenName'),
    direct('surname', 'name.familyName'),
    direct('displayName', 'displayName'),
    direct('jobTitle', 'title'),
    direct('mail', 'emails[type eq "work"].value'),
    direct('department', enterprise('department')),
    direct('manager', enterprise('manager')),
  ],
  groupMappings: defaultGroupMappings(),
  appRoles: [],
  tutorial: {
    prerequisites: [
      'A LinkedIn Learning account and one of its admins.',
      'Accurate data for the learners LinkedIn Learning already has: LinkedIn asks admins to clean up that user list before turning SCIM on.',
      'Single sign-on to LinkedIn Learning, preferably, so that provisioned learners can sign in.',
      'An administrator account in Provisio.',
    ],
    credentials:
      'The **Tenant URL** is `https://api.linkedin.com/scim`, the same for every account; the token says which one. In LinkedIn Learning, as an admin, open **Me > Authenticate > Automate user management**, expand **Configure SCIM**, choose **Add SCIM**, give the configuration a name, turn **Auto-assign licenses** on and choose **Generate token**: the access token is the **Secret Token**.',
    firstCycle:
      'Assigned users are matched by `externalId`, then created with a license when missing; assigned groups are created with their members. The first cycle of a large directory can take a few hours; LinkedIn Learning handles groups of more than ten thousand members.',
    troubleshooting: [
      {
        problem: 'Provisioned users get no license.',
        fix: '**Auto-assign licenses** was off when the SCIM configuration was made, or the account has no licenses left: turn it on or add licenses, then restart provisioning.',
      },
      {
        problem: 'A user taken out of scope still appears in LinkedIn Learning.',
        fix: 'Expected: SCIM revokes the license but does not delete the profile.',
      },
      {
        problem: 'Test Connection fails with 401.',
        fix: 'The token belongs to a removed SCIM configuration or was made by someone who is no longer an admin: generate a new one.',
      },
    ],
  },
});
