import type {
  AttributeDefinition,
  AttributeMapping,
  DirectoryDefinition,
  SynchronizationSchema,
} from '@provisio/contracts';

export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** A target or source attribute definition with the usual defaults (String, optional, single-valued). */
export const attr = (name: string, over: Partial<AttributeDefinition> = {}): AttributeDefinition => ({
  name,
  type: 'String',
  required: false,
  multivalued: false,
  caseExact: false,
  anchor: false,
  apiExpressions: [],
  referencedObjects: [],
  mutability: 'ReadWrite',
  flowNullValues: false,
  ...over,
});

/** The directory side: what a mapping may read from a directory user or group. */
export const directorySourceDefinition = (): DirectoryDefinition => ({
  id: 'Provisio',
  name: 'Provisio Directory',
  readOnly: true,
  version: null,
  objects: [
    {
      name: 'User',
      supportedApis: [],
      attributes: [
        attr('objectId', { anchor: true }),
        attr('userPrincipalName'),
        attr('displayName'),
        attr('givenName'),
        attr('surname'),
        attr('mail'),
        attr('mailNickname'),
        attr('department'),
        attr('jobTitle'),
        attr('employeeId'),
        attr('accountEnabled', { type: 'Boolean' }),
        attr('IsSoftDeleted', { type: 'Boolean' }),
        attr('manager', { type: 'Reference', referencedObjects: [{ referencedObjectName: 'User' }] }),
        attr('appRoleAssignments', { multivalued: true }),
      ],
    },
    {
      name: 'Group',
      supportedApis: [],
      attributes: [
        attr('objectId', { anchor: true }),
        attr('displayName'),
        attr('description'),
        attr('mailNickname'),
        attr('IsSoftDeleted', { type: 'Boolean' }),
        attr('members', {
          type: 'Reference',
          multivalued: true,
          referencedObjects: [{ referencedObjectName: 'User' }],
        }),
      ],
    },
  ],
});

/** The SCIM 2.0 side: core User with the enterprise extension, and Group. */
export const scimTargetDefinition = (): DirectoryDefinition => ({
  id: 'customappsso',
  name: 'customappsso',
  readOnly: false,
  version: null,
  objects: [
    {
      name: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      supportedApis: [],
      attributes: [
        attr('userName', { required: true, anchor: false }),
        attr('active', { type: 'Boolean' }),
        attr('displayName'),
        attr('title'),
        attr('externalId'),
        attr('name.givenName'),
        attr('name.familyName'),
        attr('name.formatted'),
        attr('emails[type eq "work"].value'),
        attr('phoneNumbers[type eq "work"].value'),
        attr('preferredLanguage'),
        attr(`${ENTERPRISE_USER}:employeeNumber`),
        attr(`${ENTERPRISE_USER}:department`),
        attr(`${ENTERPRISE_USER}:costCenter`),
        attr(`${ENTERPRISE_USER}:organization`),
        attr(`${ENTERPRISE_USER}:division`),
        attr(`${ENTERPRISE_USER}:manager`, {
          type: 'Reference',
          referencedObjects: [{ referencedObjectName: 'User' }],
        }),
      ],
    },
    {
      name: 'urn:ietf:params:scim:schemas:core:2.0:Group',
      supportedApis: [],
      attributes: [
        attr('displayName', { required: true }),
        attr('externalId'),
        attr('members', {
          type: 'Reference',
          multivalued: true,
          referencedObjects: [{ referencedObjectName: 'User' }],
        }),
      ],
    },
  ],
});

/** A Direct attribute mapping; `matchingPriority` above 0 makes it a matching attribute. */
export const direct = (source: string, target: string, matchingPriority = 0): AttributeMapping => ({
  source: { type: 'Attribute', name: source, expression: `[${source}]`, parameters: [] },
  targetAttributeName: target,
  defaultValue: null,
  flowType: 'Always',
  matchingPriority,
  flowBehavior: 'FlowWhenChanged',
  exportMissingReferences: false,
});

/** `IsSoftDeleted` is "True" for a user out of scope, disabled or soft-deleted; `active` is its inverse. */
export const ACTIVE_EXPRESSION = 'Switch([IsSoftDeleted], , "False", "True", "True", "False")';

/** The default user mappings Entra gives a new non-gallery SCIM application. */
export const defaultUserAttributeMappings = (): AttributeMapping[] => [
  direct('userPrincipalName', 'userName', 1),
  {
    source: {
      type: 'Function',
      name: 'Switch',
      expression: ACTIVE_EXPRESSION,
      parameters: [],
    },
    targetAttributeName: 'active',
    defaultValue: null,
    flowType: 'Always',
    matchingPriority: 0,
    flowBehavior: 'FlowWhenChanged',
    exportMissingReferences: false,
  },
  direct('displayName', 'displayName'),
  direct('jobTitle', 'title'),
  direct('mail', 'emails[type eq "work"].value'),
  direct('mailNickname', 'externalId'),
  direct('givenName', 'name.givenName'),
  direct('surname', 'name.familyName'),
  direct('department', `${ENTERPRISE_USER}:department`),
  direct('employeeId', `${ENTERPRISE_USER}:employeeNumber`),
];

export const defaultGroupAttributeMappings = (): AttributeMapping[] => [
  direct('displayName', 'displayName', 1),
  direct('objectId', 'externalId'),
  direct('members', 'members'),
];

export const USER_MAPPING_NAME = 'Provision Provisio Directory Users';
export const GROUP_MAPPING_NAME = 'Provision Provisio Directory Groups';

/** What a template says about its target: the directory definition and the default mappings. */
export interface SchemaParts {
  target: DirectoryDefinition;
  userMappings: AttributeMapping[];
  /** Null when the application has no groups: the schema then has no group mapping. */
  groupMappings: AttributeMapping[] | null;
  userObjectName: string;
  groupObjectName: string;
}

/**
 * A job's schema from a template's parts: one rule with a user mapping and, when the application
 * has groups, a group mapping, both enabled, as Entra gives a new application.
 */
export function synchronizationSchemaFrom(jobId: string, parts: SchemaParts): SynchronizationSchema {
  const objectMappings: SynchronizationSchema['synchronizationRules'][number]['objectMappings'] = [
    {
      enabled: true,
      flowTypes: ['Add', 'Update', 'Delete'],
      name: USER_MAPPING_NAME,
      sourceObjectName: 'User',
      targetObjectName: parts.userObjectName,
      scope: null,
      attributeMappings: parts.userMappings,
      metadata: [],
    },
  ];
  if (parts.groupMappings) {
    objectMappings.push({
      enabled: true,
      flowTypes: ['Add', 'Update', 'Delete'],
      name: GROUP_MAPPING_NAME,
      sourceObjectName: 'Group',
      targetObjectName: parts.groupObjectName,
      scope: null,
      attributeMappings: parts.groupMappings,
      metadata: [],
    });
  }
  return {
    id: jobId,
    version: '1',
    directories: [directorySourceDefinition(), parts.target],
    synchronizationRules: [
      {
        id: 'ProvisioToScim',
        name: 'ProvisioToScim',
        editable: true,
        priority: 1,
        sourceDirectoryName: 'Provisio Directory',
        targetDirectoryName: parts.target.name,
        metadata: [],
        objectMappings,
      },
    ],
  };
}

export const SCIM_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** A new SCIM job's schema: one rule with a user mapping and a group mapping, both enabled, as Entra gives a new SCIM application. */
export function defaultScimSchema(jobId: string): SynchronizationSchema {
  return synchronizationSchemaFrom(jobId, {
    target: scimTargetDefinition(),
    userMappings: defaultUserAttributeMappings(),
    groupMappings: defaultGroupAttributeMappings(),
    userObjectName: ENTERPRISE_USER,
    groupObjectName: SCIM_GROUP,
  });
}
