import type {
  ApplicationTemplate,
  ApplicationTemplateCategory,
  AttributeDefinition,
  AttributeMapping,
  DirectoryDefinition,
  ScimDialect,
  SupportedFeatures,
  SynchronizationSchema,
  TemplateAppRole,
} from '@provisio/contracts';
import { letterMark } from './logo';
import {
  attr,
  direct,
  ENTERPRISE_USER,
  GROUP_MAPPING_NAME,
  SCIM_GROUP,
  synchronizationSchemaFrom,
  USER_MAPPING_NAME,
} from './scim-schema';
import { renderTutorial, type TutorialParts } from './tutorial';

/**
 * A gallery template: the API shape (`ApplicationTemplate`) plus what a provisioning job is
 * created from — the target schema and the default user and group mappings.
 */
export interface GalleryTemplate extends ApplicationTemplate {
  /** The application's side of the schema: its user object and, with groups, its group object. */
  targetSchema: DirectoryDefinition;
  userObjectName: string;
  groupObjectName: string;
  defaultUserMappings: AttributeMapping[];
  /** Null when the application has no groups. */
  defaultGroupMappings: AttributeMapping[] | null;
  /** The schema of a new job created from this template. */
  defaultSchema(jobId: string): SynchronizationSchema;
}

/** How a template is written: facts about the application; the rest is derived. */
export interface TemplateDefinition {
  id: string;
  displayName: string;
  publisher: string;
  description: string;
  categories: ApplicationTemplateCategory[];
  /** One to three letters and a colour for the letter-mark logo. */
  logo: { letters: string; color: string };
  homePageUrl: string | null;
  nonGallery?: boolean;
  synchronizationTemplateId: string;
  supportedFeatures: SupportedFeatures;
  scimDialect: ScimDialect;
  requestsPerSecond: number;
  supportedSingleSignOnModes?: string[];
  /** The target's user attributes (name plus anything that differs from an optional single-valued String). */
  userAttributes: AttributeDefinition[];
  /** The target's group attributes; null when the application has no groups. */
  groupAttributes: AttributeDefinition[] | null;
  userObjectName?: string;
  groupObjectName?: string;
  userMappings: AttributeMapping[];
  groupMappings: AttributeMapping[] | null;
  appRoles: TemplateAppRole[];
  tutorial: TutorialParts;
  /** The schema of a new job; by default built from the parts above. */
  defaultSchema?: (jobId: string) => SynchronizationSchema;
}

/** Builds a gallery template from its definition: logo, matching attributes, schema, tutorial. */
export function defineTemplate(def: TemplateDefinition): GalleryTemplate {
  const userObjectName = def.userObjectName ?? ENTERPRISE_USER;
  const groupObjectName = def.groupObjectName ?? SCIM_GROUP;
  const objects: DirectoryDefinition['objects'] = [
    { name: userObjectName, supportedApis: [], attributes: def.userAttributes },
  ];
  if (def.groupAttributes) {
    objects.push({ name: groupObjectName, supportedApis: [], attributes: def.groupAttributes });
  }
  const targetSchema: DirectoryDefinition = {
    id: def.synchronizationTemplateId,
    name: def.displayName,
    readOnly: false,
    version: null,
    objects,
  };
  const matching = (mappings: AttributeMapping[] | null) =>
    (mappings ?? [])
      .filter((m) => m.matchingPriority > 0)
      .sort((a, b) => a.matchingPriority - b.matchingPriority)
      .map((m) => m.targetAttributeName);
  const parts = {
    target: targetSchema,
    userMappings: def.userMappings,
    groupMappings: def.groupMappings,
    userObjectName,
    groupObjectName,
  };
  return {
    id: def.id,
    displayName: def.displayName,
    publisher: def.publisher,
    description: def.description,
    categories: def.categories,
    logoUrl: letterMark(def.logo.letters, def.logo.color),
    homePageUrl: def.homePageUrl,
    supportedProvisioningTypes: def.supportedFeatures.users ? ['sync'] : [],
    supportedSingleSignOnModes: def.supportedSingleSignOnModes ?? ['saml'],
    nonGallery: def.nonGallery ?? false,
    synchronizationTemplateId: def.synchronizationTemplateId,
    supportedFeatures: def.supportedFeatures,
    scimDialect: def.scimDialect,
    requestsPerSecond: def.requestsPerSecond,
    matchingAttributes: { user: matching(def.userMappings), group: matching(def.groupMappings) },
    appRoles: def.appRoles,
    tutorial: renderTutorial(def, def.tutorial),
    targetSchema,
    userObjectName,
    groupObjectName,
    defaultUserMappings: def.userMappings,
    defaultGroupMappings: def.groupMappings,
    defaultSchema: def.defaultSchema ?? ((jobId) => synchronizationSchemaFrom(jobId, parts)),
  };
}

/** The API shape of a template (no schema or mappings: those come with the synchronization template). */
export function toApplicationTemplate(t: GalleryTemplate): ApplicationTemplate {
  return {
    id: t.id,
    displayName: t.displayName,
    publisher: t.publisher,
    description: t.description,
    categories: t.categories,
    logoUrl: t.logoUrl,
    homePageUrl: t.homePageUrl,
    supportedProvisioningTypes: t.supportedProvisioningTypes,
    supportedSingleSignOnModes: t.supportedSingleSignOnModes,
    nonGallery: t.nonGallery,
    synchronizationTemplateId: t.synchronizationTemplateId,
    supportedFeatures: t.supportedFeatures,
    scimDialect: t.scimDialect,
    requestsPerSecond: t.requestsPerSecond,
    matchingAttributes: t.matchingAttributes,
    appRoles: t.appRoles,
    tutorial: t.tutorial,
  };
}

// ---- building blocks the template files share ----

/** A mapping from an expression (`Function` source). */
export const expression = (
  text: string,
  target: string,
  over: Partial<AttributeMapping> = {},
): AttributeMapping => ({
  source: { type: 'Function', name: /^\s*(\w+)/.exec(text)?.[1] ?? null, expression: text, parameters: [] },
  targetAttributeName: target,
  defaultValue: null,
  flowType: 'Always',
  matchingPriority: 0,
  flowBehavior: 'FlowWhenChanged',
  exportMissingReferences: false,
  ...over,
});

/** A Constant mapping. */
export const constant = (
  value: string,
  target: string,
  over: Partial<AttributeMapping> = {},
): AttributeMapping => ({
  source: { type: 'Constant', name: value, expression: JSON.stringify(value), parameters: [] },
  targetAttributeName: target,
  defaultValue: null,
  flowType: 'Always',
  matchingPriority: 0,
  flowBehavior: 'FlowWhenChanged',
  exportMissingReferences: false,
  ...over,
});

/** A Direct mapping applied only when the account is created. */
export const directOnCreate = (source: string, target: string): AttributeMapping => ({
  ...direct(source, target),
  flowType: 'ObjectAddOnly',
});

export { attr, direct, ENTERPRISE_USER, GROUP_MAPPING_NAME, SCIM_GROUP, USER_MAPPING_NAME };

/** `roles` on the target user: a multi-valued complex attribute (value, display, type, primary). */
export const rolesAttribute = (): AttributeDefinition => attr('roles', { multivalued: true });

/** The usual core user attributes of a SCIM 2.0 application. */
export const coreUserAttributes = (...extra: AttributeDefinition[]): AttributeDefinition[] => [
  attr('userName', { required: true }),
  attr('active', { type: 'Boolean' }),
  attr('displayName'),
  attr('name.givenName'),
  attr('name.familyName'),
  attr('emails[type eq "work"].value'),
  attr('externalId'),
  ...extra,
];

/** The usual core group attributes: displayName, externalId, members. */
export const coreGroupAttributes = (): AttributeDefinition[] => [
  attr('displayName', { required: true }),
  attr('externalId'),
  attr('members', {
    type: 'Reference',
    multivalued: true,
    referencedObjects: [{ referencedObjectName: 'User' }],
  }),
];

export const enterprise = (name: string): string => `${ENTERPRISE_USER}:${name}`;

/** The `active` mapping every template carries: false for a user out of scope, disabled or soft-deleted. */
export const activeMapping = (): AttributeMapping =>
  expression('Switch([IsSoftDeleted], , "False", "True", "True", "False")', 'active');

/** The default group mappings: displayName (matching), objectId → externalId, members. */
export const defaultGroupMappings = (): AttributeMapping[] => [
  direct('displayName', 'displayName', 1),
  direct('objectId', 'externalId'),
  direct('members', 'members'),
];

/** An app role's id, stable per template and value so that exports and imports agree. */
export const roleId = (prefix: string, n: number): string =>
  `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;
