import {
  activeMapping,
  attr,
  coreGroupAttributes,
  coreUserAttributes,
  defaultGroupMappings,
  defineTemplate,
  direct,
  directOnCreate,
  enterprise,
  expression,
  roleId,
} from '../template';

// Three templates modelled on what file-sharing, HR and learning applications commonly publish
// about their SCIM endpoints. Their names are our own: the facts are the common behaviour of the
// category, not of one product.

/** File sharing: users with a storage quota, groups as shared-folder audiences. */
export const sharefoldTemplate = defineTemplate({
  id: 'sharefold',
  displayName: 'Sharefold (file sharing)',
  publisher: 'Provisio examples',
  description:
    'A file-sharing application modelled on the SCIM endpoints of common file-sharing services: members, groups that shared folders are given to, and the RFC 7644 PATCH forms.',
  categories: ['contentManagement', 'collaboration'],
  logo: { letters: 'Sf', color: '#0e7a6d' },
  homePageUrl: null,
  synchronizationTemplateId: 'sharefold',
  supportedFeatures: { users: true, groups: true, patch: true, roles: true, onDemand: true },
  scimDialect: {
    patchDialect: 'aadOptscim062020',
    tenantUrlFormat: 'https://{team}.sharefold.example/scim/v2',
    quirks: [
      'Expects the RFC 7644 PATCH forms (`active` as a boolean, lowercase `op`): the tutorial appends `?aadOptscim062020` to the Tenant URL.',
      'A deactivated member keeps their files until an admin transfers them; DELETE is refused while they own shared folders.',
      'Group names must be unique.',
    ],
  },
  requestsPerSecond: 20,
  userAttributes: coreUserAttributes(attr('roles', { multivalued: true })),
  groupAttributes: coreGroupAttributes(),
  userMappings: [
    direct('userPrincipalName', 'userName', 1),
    activeMapping(),
    direct('mail', 'emails[type eq "work"].value'),
    direct('givenName', 'name.givenName'),
    direct('surname', 'name.familyName'),
    direct('displayName', 'displayName'),
    direct('objectId', 'externalId'),
    expression('AppRoleAssignmentsComplex([appRoleAssignments])', 'roles'),
  ],
  groupMappings: defaultGroupMappings(),
  appRoles: [
    {
      id: roleId('5afe0000', 1),
      displayName: 'Member',
      value: 'member',
      description: 'Stores and shares files.',
      allowedMemberTypes: ['User'],
    },
    {
      id: roleId('5afe0000', 2),
      displayName: 'Team admin',
      value: 'team_admin',
      description: 'Manages members and shared folders.',
      allowedMemberTypes: ['User'],
    },
  ],
  tutorial: {
    prerequisites: [
      'A team plan of the file-sharing application and one of its team admins.',
      'An administrator account in Provisio.',
    ],
    credentials:
      'In the admin console, **Settings > Provisioning** shows the SCIM base URL (the Tenant URL) and **Generate token** creates the Secret Token.',
    firstCycle:
      'Assigned users are matched by user name and invited when missing; assigned groups are created and filled.',
    troubleshooting: [
      {
        problem: 'Disabling a user fails with 400 "active must be a boolean".',
        fix: 'The Tenant URL lacks `?aadOptscim062020`: add it and save.',
      },
      {
        problem: 'Deleting a user fails with 409.',
        fix: 'The user still owns shared folders: transfer them in the admin console, then retry.',
      },
    ],
  },
});

/** HR: a people platform that takes employees from the directory. */
export const peoplebaseTemplate = defineTemplate({
  id: 'peoplebase',
  displayName: 'Peoplebase (HR)',
  publisher: 'Provisio examples',
  description:
    'An HR application modelled on the SCIM endpoints of common people platforms: employee records with the enterprise extension (employee number, department, manager), no groups.',
  categories: ['humanResources'],
  logo: { letters: 'Pb', color: '#c239b3' },
  homePageUrl: null,
  synchronizationTemplateId: 'peoplebase',
  supportedFeatures: { users: true, groups: false, patch: true, roles: false, onDemand: true },
  scimDialect: {
    patchDialect: 'entra',
    tenantUrlFormat: 'https://api.peoplebase.example/scim/v2/{companyId}',
    quirks: [
      'The employee number is required and must be unique: users without `employeeId` are skipped.',
      'The manager must exist before it can be referenced: Provisio sets it once both accounts exist.',
      'Users only: group provisioning is not available.',
    ],
  },
  requestsPerSecond: 10,
  userAttributes: coreUserAttributes(
    attr('title'),
    attr(enterprise('employeeNumber'), { required: true }),
    attr(enterprise('department')),
    attr(enterprise('manager'), { type: 'Reference', referencedObjects: [{ referencedObjectName: 'User' }] }),
  ),
  groupAttributes: null,
  userMappings: [
    direct('userPrincipalName', 'userName', 1),
    direct('employeeId', enterprise('employeeNumber'), 2),
    activeMapping(),
    direct('mail', 'emails[type eq "work"].value'),
    direct('givenName', 'name.givenName'),
    direct('surname', 'name.familyName'),
    direct('displayName', 'displayName'),
    direct('jobTitle', 'title'),
    direct('department', enterprise('department')),
    direct('manager', enterprise('manager')),
    directOnCreate('objectId', 'externalId'),
  ],
  groupMappings: null,
  appRoles: [],
  tutorial: {
    prerequisites: [
      'An HR administrator of the application.',
      'Employee numbers filled in the directory (`employeeId`).',
      'An administrator account in Provisio.',
    ],
    credentials:
      'In the HR application, **Company settings > Integrations > SCIM** shows the Tenant URL with your company id and creates an API token (the Secret Token).',
    firstCycle:
      'Assigned users are matched by user name, then by employee number; new employee records are created, then the managers are set once both records exist.',
    troubleshooting: [
      {
        problem: 'Users are skipped because a required attribute is missing.',
        fix: 'Fill `employeeId` in the directory for them.',
      },
      {
        problem: 'The manager stays empty.',
        fix: 'The manager is not assigned to the application: assign them too, or a group that contains them.',
      },
    ],
  },
});

/** Learning: a learning platform with learner and instructor roles. */
export const coursewiseTemplate = defineTemplate({
  id: 'coursewise',
  displayName: 'Coursewise (learning)',
  publisher: 'Provisio examples',
  description:
    'A learning platform modelled on the SCIM endpoints of common learning management systems: learners and instructors by role, groups as course audiences.',
  categories: ['education'],
  logo: { letters: 'Cw', color: '#ca5010' },
  homePageUrl: null,
  synchronizationTemplateId: 'coursewise',
  supportedFeatures: { users: true, groups: true, patch: true, roles: true, onDemand: true },
  scimDialect: {
    patchDialect: 'entra',
    tenantUrlFormat: 'https://{school}.coursewise.example/scim/v2',
    quirks: [
      'One role per user: a user assigned with several roles gets the first one.',
      'A deactivated learner keeps their course history and certificates.',
      'Membership changes of large groups are applied in batches: a group of thousands may take minutes to appear in full.',
    ],
  },
  requestsPerSecond: 25,
  userAttributes: coreUserAttributes(
    attr('preferredLanguage'),
    attr(enterprise('department')),
    attr('roles', { multivalued: true }),
  ),
  groupAttributes: coreGroupAttributes(),
  userMappings: [
    direct('userPrincipalName', 'userName', 1),
    activeMapping(),
    direct('mail', 'emails[type eq "work"].value'),
    direct('givenName', 'name.givenName'),
    direct('surname', 'name.familyName'),
    direct('displayName', 'displayName'),
    direct('department', enterprise('department')),
    direct('objectId', 'externalId'),
    expression('SingleAppRoleAssignment([appRoleAssignments])', 'roles'),
  ],
  groupMappings: defaultGroupMappings(),
  appRoles: [
    {
      id: roleId('c0be0000', 1),
      displayName: 'Learner',
      value: 'learner',
      description: 'Takes courses.',
      allowedMemberTypes: ['User'],
    },
    {
      id: roleId('c0be0000', 2),
      displayName: 'Instructor',
      value: 'instructor',
      description: 'Creates and teaches courses.',
      allowedMemberTypes: ['User'],
    },
    {
      id: roleId('c0be0000', 3),
      displayName: 'Learning admin',
      value: 'admin',
      description: 'Manages the platform.',
      allowedMemberTypes: ['User'],
    },
  ],
  tutorial: {
    prerequisites: ['An administrator of the learning platform.', 'An administrator account in Provisio.'],
    credentials:
      'In the learning platform, **Admin > Integrations > User provisioning** shows the SCIM base URL (the Tenant URL) and generates the token (the Secret Token).',
    extraSteps: ['Assign each user a role (Learner, Instructor or Learning admin); it is sent in `roles`.'],
    firstCycle:
      'Assigned users are created with their role; assigned groups become audiences that courses can be given to.',
    troubleshooting: [
      {
        problem: 'Everyone arrives as a learner.',
        fix: 'They were assigned with the default role: assign them again with Instructor or Learning admin.',
      },
      {
        problem: 'A large group is incomplete after the cycle.',
        fix: 'The platform applies big membership changes in batches; check again a few minutes later.',
      },
    ],
  },
});
