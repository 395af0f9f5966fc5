// Shared inputs of the engine's unit tests (not exported by the package).
import type { AttributeMapping, ObjectDefinition, ObjectMapping } from '@provisio/contracts';
import type { SourceUser } from './source-view';

export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export const user = (over: Partial<SourceUser> = {}): SourceUser => ({
  id: 'u-1',
  userPrincipalName: 'adele@contoso.com',
  displayName: 'Adele Vance',
  givenName: 'Adele',
  surname: 'Vance',
  mail: 'adele@contoso.com',
  mailNickname: 'adele',
  department: 'Sales',
  jobTitle: 'Retail Manager',
  employeeId: '1001',
  accountEnabled: true,
  managerId: null,
  deletedDateTime: null,
  extensionAttributes: {},
  ...over,
});

export const direct = (
  source: string,
  target: string,
  over: Partial<AttributeMapping> = {},
): AttributeMapping => ({
  source: { type: 'Attribute', name: source, expression: `[${source}]`, parameters: [] },
  targetAttributeName: target,
  defaultValue: null,
  flowType: 'Always',
  matchingPriority: 0,
  flowBehavior: 'FlowWhenChanged',
  exportMissingReferences: false,
  ...over,
});

export const expression = (
  text: string,
  target: string,
  over: Partial<AttributeMapping> = {},
): AttributeMapping => ({
  ...direct('x', target, over),
  source: { type: 'Function', name: null, expression: text, parameters: [] },
});

export const ACTIVE = 'Switch([IsSoftDeleted], , "False", "True", "True", "False")';

/** The default user mappings of a non-gallery SCIM application. */
export const defaultMappings = (): AttributeMapping[] => [
  direct('userPrincipalName', 'userName', { matchingPriority: 1 }),
  expression(ACTIVE, 'active'),
  direct('displayName', 'displayName'),
  direct('jobTitle', 'title'),
  direct('mail', 'emails[type eq "work"].value'),
  direct('mailNickname', 'externalId'),
  direct('givenName', 'name.givenName'),
  direct('surname', 'name.familyName'),
  direct('department', `${ENTERPRISE}:department`),
  direct('employeeId', `${ENTERPRISE}:employeeNumber`),
];

export const objectMapping = (over: Partial<ObjectMapping> = {}): ObjectMapping => ({
  enabled: true,
  flowTypes: ['Add', 'Update', 'Delete'],
  name: 'Provision users',
  sourceObjectName: 'User',
  targetObjectName: ENTERPRISE,
  scope: null,
  attributeMappings: defaultMappings(),
  metadata: [],
  ...over,
});

const attr = (name: string, over: Partial<ObjectDefinition['attributes'][number]> = {}) => ({
  name,
  type: 'String' as const,
  required: false,
  multivalued: false,
  caseExact: false,
  anchor: false,
  apiExpressions: [],
  referencedObjects: [],
  mutability: 'ReadWrite' as const,
  flowNullValues: false,
  ...over,
});

export const targetObject = (): ObjectDefinition => ({
  name: ENTERPRISE,
  supportedApis: [],
  attributes: [
    attr('userName', { required: true }),
    attr('active', { type: 'Boolean' }),
    attr('displayName'),
    attr('title'),
    attr('externalId', { caseExact: true }),
    attr('name.givenName'),
    attr('name.familyName'),
    attr('emails[type eq "work"].value'),
    attr(`${ENTERPRISE}:department`),
    attr(`${ENTERPRISE}:employeeNumber`),
  ],
});

/** A deterministic clock and random source for mapping evaluation. */
export const evalOptions = { now: new Date('2026-01-15T10:00:00Z'), random: () => 0.5 };
