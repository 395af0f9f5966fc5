import {
  activeMapping,
  attr,
  coreGroupAttributes,
  coreUserAttributes,
  defaultGroupMappings,
  defineTemplate,
  direct,
  enterprise,
  expression,
  rolesAttribute,
  roleId,
} from '../template';

/** The SCIM 2.0 application bundled with Provisio: the embedded default target. */
export const sampleAppTemplate = defineTemplate({
  id: 'provisio-sample-app',
  displayName: 'Provisio Sample SCIM App',
  publisher: 'Provisio',
  description:
    'The SCIM 2.0 application shipped with Provisio: users with the enterprise extension, groups, PATCH, roles, and fault switches to rehearse what a real application does wrong.',
  categories: ['developerServices', 'tools'],
  logo: { letters: 'PS', color: '#0f6cbd' },
  homePageUrl: null,
  synchronizationTemplateId: 'provisiosample',
  supportedFeatures: { users: true, groups: true, patch: true, roles: true, onDemand: true },
  scimDialect: {
    patchDialect: 'entra',
    tenantUrlFormat: 'http://{sample-app-host}:{port}/scim/v2',
    quirks: [
      'Accepts both PATCH dialects, so `?aadOptscim062020` may be added or left out.',
      'Fault switches on its page add latency, errors, 429 answers with Retry-After, refuse PATCH or filters: turn them off before the first cycle unless you are testing them.',
    ],
  },
  requestsPerSecond: 50,
  supportedSingleSignOnModes: [],
  userAttributes: coreUserAttributes(
    attr('title'),
    attr('preferredLanguage'),
    attr('phoneNumbers[type eq "work"].value'),
    attr(enterprise('employeeNumber')),
    attr(enterprise('department')),
    attr(enterprise('manager'), { type: 'Reference', referencedObjects: [{ referencedObjectName: 'User' }] }),
    rolesAttribute(),
  ),
  groupAttributes: coreGroupAttributes(),
  userMappings: [
    direct('userPrincipalName', 'userName', 1),
    activeMapping(),
    direct('displayName', 'displayName'),
    direct('jobTitle', 'title'),
    direct('mail', 'emails[type eq "work"].value'),
    direct('mailNickname', 'externalId'),
    direct('givenName', 'name.givenName'),
    direct('surname', 'name.familyName'),
    direct('department', enterprise('department')),
    direct('employeeId', enterprise('employeeNumber')),
    direct('manager', enterprise('manager')),
    expression('AssertiveAppRoleAssignmentsComplex([appRoleAssignments])', 'roles'),
  ],
  groupMappings: defaultGroupMappings(),
  appRoles: [
    {
      id: roleId('5a3b1e00', 1),
      displayName: 'Administrator',
      value: 'Admin',
      description: 'Manages the sample application.',
      allowedMemberTypes: ['User'],
    },
    {
      id: roleId('5a3b1e00', 2),
      displayName: 'Member',
      value: 'Member',
      description: 'Uses the sample application.',
      allowedMemberTypes: ['User'],
    },
    {
      id: roleId('5a3b1e00', 3),
      displayName: 'Viewer',
      value: 'Viewer',
      description: 'Reads, never changes.',
      allowedMemberTypes: ['User'],
    },
  ],
  tutorial: {
    prerequisites: [
      'Provisio started with `./provisio start` (or `pnpm start`), which also starts the sample application.',
      'An administrator account in Provisio.',
    ],
    credentials:
      "The **Tenant URL** is printed when Provisio starts (`Sample SCIM app: … (SCIM at http://127.0.0.1:…/scim/v2)`) and shown on the sample application's page. The **Secret Token** is the value of `SAMPLE_APP_TOKEN`; when it is not set, `./provisio start` keeps a generated one in `data/sample-app.token`. The sample application's page never shows the token.",
    extraSteps: [
      'Optionally give users a role of the application when you assign them (Administrator, Member or Viewer); it is sent in `roles`.',
    ],
    firstCycle:
      "The initial cycle creates each assigned user with its enterprise extension (department, employee number), then the assigned groups without members, then adds the members and the managers. The sample application's page lists the accounts as they arrive.",
    troubleshooting: [
      {
        problem: 'Test Connection fails with 401.',
        fix: 'The Secret Token does not match `SAMPLE_APP_TOKEN`; copy it again from `data/sample-app.token`.',
      },
      {
        problem: 'Requests fail with 429 or 500.',
        fix: "A fault switch is on: reset the switches on the sample application's page.",
      },
      {
        problem: 'A user is skipped as not effectively entitled after a role was removed.',
        fix: 'Assign the user again with a role the application still has.',
      },
    ],
  },
});
