import {
  activeMapping,
  attr,
  coreUserAttributes,
  defineTemplate,
  direct,
  enterprise,
  expression,
  roleId,
} from '../template';

/** CRM: Salesforce, through its SCIM 2.0 endpoint. */
export const salesforceTemplate = defineTemplate({
  id: 'salesforce',
  displayName: 'Salesforce',
  publisher: 'Salesforce',
  description:
    'Creates, updates and deactivates Salesforce users with the profile their app role names. Users only; Salesforce users are never deleted.',
  categories: ['crm'],
  logo: { letters: 'SF', color: '#00a1e0' },
  homePageUrl: 'https://www.salesforce.com',
  synchronizationTemplateId: 'salesforce',
  supportedFeatures: { users: true, groups: false, patch: true, roles: true, onDemand: true },
  scimDialect: {
    patchDialect: 'entra',
    tenantUrlFormat: 'https://{my-domain}.my.salesforce.com/services/scim/v2',
    quirks: [
      '`userName` must have the form of an email address and be unique across every Salesforce org, not just yours.',
      'Every user needs a profile: it is sent in `entitlements`, from the app role assigned to the user, whose value must be the profile id (it starts with `00e`).',
      'Salesforce never deletes users: DELETE and `active` false both deactivate the user and free the license.',
      'The daily API request allowance of the org also counts provisioning requests.',
    ],
  },
  requestsPerSecond: 10,
  userAttributes: coreUserAttributes(
    attr('nickName'),
    attr('title'),
    attr(enterprise('department')),
    attr(enterprise('employeeNumber')),
    attr('entitlements', { multivalued: true }),
  ),
  groupAttributes: null,
  userMappings: [
    direct('userPrincipalName', 'userName', 1),
    activeMapping(),
    direct('mail', 'emails[type eq "work"].value'),
    direct('givenName', 'name.givenName'),
    direct('surname', 'name.familyName'),
    direct('displayName', 'displayName'),
    direct('mailNickname', 'nickName'),
    direct('jobTitle', 'title'),
    direct('department', enterprise('department')),
    direct('employeeId', enterprise('employeeNumber')),
    expression('SingleAppRoleAssignment([appRoleAssignments])', 'entitlements'),
  ],
  groupMappings: null,
  appRoles: [
    {
      id: roleId('5f0ce000', 1),
      displayName: 'Standard User',
      value: 'Standard User',
      description:
        "Salesforce's Standard User profile. Set the value to that profile's id (00e…) in your org.",
      allowedMemberTypes: ['User'],
    },
    {
      id: roleId('5f0ce000', 2),
      displayName: 'System Administrator',
      value: 'System Administrator',
      description:
        "Salesforce's System Administrator profile. Set the value to that profile's id (00e…) in your org.",
      allowedMemberTypes: ['User'],
    },
  ],
  tutorial: {
    prerequisites: [
      'A Salesforce org with API access and My Domain enabled.',
      'A Salesforce administrator to create the connected app and read the profile ids.',
      'An administrator account in Provisio.',
    ],
    credentials:
      'The **Tenant URL** is `https://{my-domain}.my.salesforce.com/services/scim/v2` (your My Domain address, shown in **Setup > My Domain**). For the **Secret Token**, create a connected app with OAuth enabled and the `api` scope in **Setup > App Manager**, and use an access token it issues to an administrator.',
    extraSteps: [
      "Edit the application's app roles so that each value is the id of the Salesforce profile it stands for (**Setup > Profiles**, the id in the profile's address), then assign every user a role.",
    ],
    firstCycle:
      'Assigned users are matched by user name and created with the profile of their app role; Salesforce emails new users a welcome message unless the org turns that off.',
    troubleshooting: [
      {
        problem: 'Creating a user fails with 409 or "duplicate username".',
        fix: 'The user name exists in another Salesforce org: map a user name unique to your org (for example with a suffix).',
      },
      {
        problem: 'Creating a user fails because of the profile.',
        fix: "The role's value is not a profile id of your org: edit the app role's value, then retry.",
      },
      {
        problem: 'Requests fail after many succeeded.',
        fix: "The org's daily API allowance is used up: wait for the next day or ask Salesforce for a higher allowance.",
      },
    ],
  },
});
