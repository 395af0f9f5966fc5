// The attribute definitions below drive everything schema-aware: canonical attribute names (names are
// case-insensitive on input), value coercion, filter comparison rules (caseExact, type), which
// attributes are returned, and the /Schemas document. One table, so what /Schemas says is what the
// server does.

export type AttributeType =
  'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'binary' | 'complex';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';

export interface AttributeDef {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: 'none' | 'server' | 'global';
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDef[];
  /** Lowercased sub-attribute name → definition, for case-insensitive lookups. */
  subByName?: Map<string, AttributeDef>;
}

export interface SchemaDef {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDef[];
  byName: Map<string, AttributeDef>;
}

interface AttrOptions {
  multiValued?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: Mutability;
  returned?: Returned;
  uniqueness?: 'none' | 'server' | 'global';
  canonicalValues?: string[];
  referenceTypes?: string[];
  sub?: AttributeDef[];
}

function attr(name: string, type: AttributeType, description: string, o: AttrOptions = {}): AttributeDef {
  const def: AttributeDef = {
    name,
    type,
    multiValued: o.multiValued ?? false,
    description,
    required: o.required ?? false,
    caseExact: o.caseExact ?? false,
    mutability: o.mutability ?? 'readWrite',
    returned: o.returned ?? 'default',
    uniqueness: o.uniqueness ?? 'none',
  };
  if (o.canonicalValues) def.canonicalValues = o.canonicalValues;
  if (o.referenceTypes) def.referenceTypes = o.referenceTypes;
  if (o.sub) {
    def.subAttributes = o.sub;
    def.subByName = new Map(o.sub.map((s) => [s.name.toLowerCase(), s]));
  }
  return def;
}

function schema(id: string, name: string, description: string, attributes: AttributeDef[]): SchemaDef {
  return {
    id,
    name,
    description,
    attributes,
    byName: new Map(attributes.map((a) => [a.name.toLowerCase(), a])),
  };
}

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** The group schema URI older Entra jobs put beside the core one; accepted on input, never emitted. */
export const LEGACY_GROUP_SCHEMA = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SEARCH_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

/** value/display/type/primary: the sub-attributes of most multi-valued complex attributes. */
function multi(
  name: string,
  description: string,
  types: string[],
  valueType: AttributeType = 'string',
): AttributeDef {
  return attr(name, 'complex', description, {
    multiValued: true,
    sub: [
      attr('value', valueType, `The value of ${name}.`),
      attr('display', 'string', 'A human-readable name, primarily used for display purposes.'),
      attr('type', 'string', 'A label indicating the function of the value.', { canonicalValues: types }),
      attr('primary', 'boolean', 'Indicates the primary value; true appears at most once.'),
    ],
  });
}

const userAttributes: AttributeDef[] = [
  attr('userName', 'string', 'Unique identifier for the user, typically used to sign in.', {
    required: true,
    uniqueness: 'server',
  }),
  attr('name', 'complex', 'The components of the user’s real name.', {
    sub: [
      attr('formatted', 'string', 'The full name, formatted for display.'),
      attr('familyName', 'string', 'The family name.'),
      attr('givenName', 'string', 'The given name.'),
      attr('middleName', 'string', 'The middle name(s).'),
      attr('honorificPrefix', 'string', 'The honorific prefix(es).'),
      attr('honorificSuffix', 'string', 'The honorific suffix(es).'),
    ],
  }),
  attr('displayName', 'string', 'The name of the user, suitable for display.'),
  attr('nickName', 'string', 'The casual way to address the user.'),
  attr('profileUrl', 'reference', 'A URI of the user’s online profile.', { referenceTypes: ['external'] }),
  attr('title', 'string', 'The user’s title, such as "Vice President".'),
  attr('userType', 'string', 'The relationship between the organization and the user.'),
  attr('preferredLanguage', 'string', 'The user’s preferred written or spoken language.'),
  attr('locale', 'string', 'The user’s default location for localisation.'),
  attr('timezone', 'string', 'The user’s time zone in IANA format.'),
  attr('active', 'boolean', 'The user’s administrative status.'),
  attr('password', 'string', 'The user’s cleartext password; accepted and never stored or returned.', {
    mutability: 'writeOnly',
    returned: 'never',
  }),
  multi('emails', 'Email addresses for the user.', ['work', 'home', 'other']),
  multi('phoneNumbers', 'Phone numbers for the user.', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
  multi('ims', 'Instant messaging addresses for the user.', [
    'aim',
    'gtalk',
    'icq',
    'xmpp',
    'msn',
    'skype',
    'qq',
    'yahoo',
  ]),
  multi('photos', 'URLs of photos of the user.', ['photo', 'thumbnail'], 'reference'),
  attr('addresses', 'complex', 'Physical mailing addresses for the user.', {
    multiValued: true,
    sub: [
      attr('formatted', 'string', 'The full mailing address, formatted for display.'),
      attr('streetAddress', 'string', 'The full street address component.'),
      attr('locality', 'string', 'The city or locality component.'),
      attr('region', 'string', 'The state or region component.'),
      attr('postalCode', 'string', 'The zip code or postal code component.'),
      attr('country', 'string', 'The country name component (ISO 3166-1 alpha-2).'),
      attr('type', 'string', 'A label indicating the function of the address.', {
        canonicalValues: ['work', 'home', 'other'],
      }),
      attr('primary', 'boolean', 'Indicates the primary address.'),
    ],
  }),
  attr('groups', 'complex', 'The groups the user belongs to directly; managed through Groups.', {
    multiValued: true,
    mutability: 'readOnly',
    sub: [
      attr('value', 'string', 'The id of the group.', { mutability: 'readOnly' }),
      attr('$ref', 'reference', 'The URI of the group.', {
        mutability: 'readOnly',
        referenceTypes: ['Group'],
      }),
      attr('display', 'string', 'The displayName of the group.', { mutability: 'readOnly' }),
      attr('type', 'string', 'direct or indirect membership.', {
        mutability: 'readOnly',
        canonicalValues: ['direct', 'indirect'],
      }),
    ],
  }),
  multi('entitlements', 'Entitlements of the user.', []),
  multi('roles', 'Roles of the user.', []),
  multi('x509Certificates', 'Certificates issued to the user.', [], 'binary'),
];

const enterpriseAttributes: AttributeDef[] = [
  attr('employeeNumber', 'string', 'A string identifier assigned by the organization.'),
  attr('costCenter', 'string', 'Identifies the name of a cost center.'),
  attr('organization', 'string', 'Identifies the name of an organization.'),
  attr('division', 'string', 'Identifies the name of a division.'),
  attr('department', 'string', 'Identifies the name of a department.'),
  attr('manager', 'complex', 'The user’s manager; accepted as an id, {value} or [{value}].', {
    sub: [
      attr('value', 'string', 'The id of the manager.'),
      attr('$ref', 'reference', 'The URI of the manager.', { referenceTypes: ['User'] }),
      attr('displayName', 'string', 'The displayName of the manager.', { mutability: 'readOnly' }),
    ],
  }),
];

const groupAttributes: AttributeDef[] = [
  attr('displayName', 'string', 'A human-readable name for the group; unique in this service.', {
    required: true,
    uniqueness: 'server',
  }),
  attr('members', 'complex', 'The members of the group.', {
    multiValued: true,
    sub: [
      attr('value', 'string', 'The id of the member.', { mutability: 'immutable' }),
      attr('$ref', 'reference', 'The URI of the member.', {
        mutability: 'immutable',
        referenceTypes: ['User', 'Group'],
      }),
      attr('display', 'string', 'The name of the member.', { mutability: 'readOnly' }),
      attr('type', 'string', 'The type of the member.', {
        mutability: 'immutable',
        canonicalValues: ['User', 'Group'],
      }),
    ],
  }),
];

export const userSchema = schema(USER_SCHEMA, 'User', 'User Account', userAttributes);
export const enterpriseSchema = schema(
  ENTERPRISE_SCHEMA,
  'EnterpriseUser',
  'Enterprise User',
  enterpriseAttributes,
);
export const groupSchema = schema(GROUP_SCHEMA, 'Group', 'Group', groupAttributes);

/** Attributes every resource has (RFC 7643 §3.1); not part of any schema's attribute list. */
export const commonAttributes = new Map<string, AttributeDef>(
  [
    attr('id', 'string', 'Unique identifier assigned by the service provider.', {
      caseExact: true,
      mutability: 'readOnly',
      returned: 'always',
      uniqueness: 'server',
    }),
    attr('externalId', 'string', 'Identifier of the resource in the provisioning client.', {
      caseExact: true,
    }),
    attr('meta', 'complex', 'Resource metadata.', {
      mutability: 'readOnly',
      sub: [
        attr('resourceType', 'string', 'The name of the resource type.', {
          caseExact: true,
          mutability: 'readOnly',
        }),
        attr('created', 'dateTime', 'When the resource was added.', { mutability: 'readOnly' }),
        attr('lastModified', 'dateTime', 'When the resource was last changed.', { mutability: 'readOnly' }),
        attr('location', 'reference', 'The URI of the resource.', {
          caseExact: true,
          mutability: 'readOnly',
        }),
        attr('version', 'string', 'The weak ETag of the resource.', {
          caseExact: true,
          mutability: 'readOnly',
        }),
      ],
    }),
  ].map((a) => [a.name.toLowerCase(), a]),
);

export type ResourceKind = 'User' | 'Group';

export interface ResourceTypeDef {
  kind: ResourceKind;
  endpoint: string;
  description: string;
  core: SchemaDef;
  extensions: SchemaDef[];
  /** Schema URIs accepted in a request's `schemas` besides the core and extension ones. */
  acceptedAliases: string[];
}

export const userType: ResourceTypeDef = {
  kind: 'User',
  endpoint: '/Users',
  description: 'User Account',
  core: userSchema,
  extensions: [enterpriseSchema],
  acceptedAliases: [],
};

export const groupType: ResourceTypeDef = {
  kind: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  core: groupSchema,
  extensions: [],
  acceptedAliases: [LEGACY_GROUP_SCHEMA],
};

/** The RFC 7643 §7 representation of one schema, as served by /Schemas. */
export function schemaDocument(s: SchemaDef, location: string): Record<string, unknown> {
  const render = (a: AttributeDef): Record<string, unknown> => {
    const out: Record<string, unknown> = {
      name: a.name,
      type: a.type,
      multiValued: a.multiValued,
      description: a.description,
      required: a.required,
    };
    if (a.type === 'string' || a.type === 'reference' || a.type === 'binary') out.caseExact = a.caseExact;
    if (a.canonicalValues && a.canonicalValues.length > 0) out.canonicalValues = a.canonicalValues;
    if (a.referenceTypes) out.referenceTypes = a.referenceTypes;
    out.mutability = a.mutability;
    out.returned = a.returned;
    if (a.type !== 'complex' && a.type !== 'boolean') out.uniqueness = a.uniqueness;
    if (a.subAttributes) out.subAttributes = a.subAttributes.map(render);
    return out;
  };
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
    id: s.id,
    name: s.name,
    description: s.description,
    attributes: s.attributes.map(render),
    meta: { resourceType: 'Schema', location },
  };
}
