import { Type, type Static } from 'typebox';
import { collectionOf, displayNameText, nullableString } from './common';
import { servicePrincipalSchema } from './applications';
import { synchronizationSchemaSchema } from './synchronization';

/** Gallery categories: the id used in the API and `$filter`, and the label the portal shows. */
export const applicationTemplateCategories = [
  { id: 'developerServices', label: 'Developer services' },
  { id: 'collaboration', label: 'Collaboration' },
  { id: 'communication', label: 'Communication' },
  { id: 'contentManagement', label: 'Content management' },
  { id: 'itServiceManagement', label: 'IT service management' },
  { id: 'humanResources', label: 'Human resources' },
  { id: 'security', label: 'Security' },
  { id: 'design', label: 'Design' },
  { id: 'crm', label: 'CRM' },
  { id: 'education', label: 'Education' },
  { id: 'tools', label: 'Tools' },
] as const;
export type ApplicationTemplateCategory = (typeof applicationTemplateCategories)[number]['id'];

export const applicationTemplateCategorySchema = Type.Unsafe<ApplicationTemplateCategory>(
  Type.Union(applicationTemplateCategories.map((c) => Type.Literal(c.id))),
);

/** What a template's provisioning connector does (an addition to Graph). */
export const supportedFeaturesSchema = Type.Object({
  users: Type.Boolean({ description: 'Creates, updates and disables user accounts.' }),
  groups: Type.Boolean({ description: 'Creates groups and keeps their members.' }),
  patch: Type.Boolean({ description: 'The application accepts SCIM PATCH (updates are PATCHes).' }),
  roles: Type.Boolean({ description: 'App roles flow to the application through a roles mapping.' }),
  onDemand: Type.Boolean({ description: 'Provision on demand works for this application.' }),
});
export type SupportedFeatures = Static<typeof supportedFeaturesSchema>;

/** An app role a template gives the applications created from it. */
export const templateAppRoleSchema = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  value: nullableString(),
  description: Type.String(),
  allowedMemberTypes: Type.Array(Type.String()),
});
export type TemplateAppRole = Static<typeof templateAppRoleSchema>;

/** How the application speaks SCIM, and what it does differently (an addition to Graph). */
export const scimDialectSchema = Type.Object({
  patchDialect: Type.Union([Type.Literal('entra'), Type.Literal('aadOptscim062020')], {
    description:
      '`entra`: the default PATCH forms; `aadOptscim062020`: the RFC 7644 forms, switched on by the flag of that name in the Tenant URL.',
  }),
  tenantUrlFormat: Type.String({ description: 'The Tenant URL with its variable parts in braces.' }),
  quirks: Type.Array(Type.String(), {
    description: 'Documented behaviour a provisioning client must allow for.',
  }),
});
export type ScimDialect = Static<typeof scimDialectSchema>;

/**
 * An application in the gallery, shaped after Graph's `applicationTemplate` (id, displayName,
 * publisher, description, categories, logoUrl, homePageUrl, supportedProvisioningTypes,
 * supportedSingleSignOnModes) plus what our gallery adds: features, SCIM dialect, request rate,
 * matching attributes, app roles and the setup tutorial (markdown).
 */
export const applicationTemplateSchema = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  publisher: Type.String(),
  description: Type.String(),
  categories: Type.Array(applicationTemplateCategorySchema),
  logoUrl: Type.String({ description: 'The logo as a `data:image/svg+xml` URL.' }),
  homePageUrl: nullableString(),
  supportedProvisioningTypes: Type.Array(Type.String()),
  supportedSingleSignOnModes: Type.Array(Type.String()),
  /** `true` for the non-gallery SCIM 2.0 template ("Create your own application"). */
  nonGallery: Type.Boolean(),
  synchronizationTemplateId: Type.String(),
  supportedFeatures: supportedFeaturesSchema,
  scimDialect: scimDialectSchema,
  requestsPerSecond: Type.Number({
    description: 'The sustained request rate the application is known to accept.',
  }),
  matchingAttributes: Type.Object({
    user: Type.Array(Type.String()),
    group: Type.Array(Type.String()),
  }),
  appRoles: Type.Array(templateAppRoleSchema),
  tutorial: Type.String({ description: 'The setup tutorial, markdown.' }),
});
export type ApplicationTemplate = Static<typeof applicationTemplateSchema>;
export const applicationTemplateCollectionSchema = collectionOf(applicationTemplateSchema);

export const applicationTemplateListQuerySchema = Type.Object(
  {
    $search: Type.Optional(
      Type.String({
        maxLength: 200,
        description:
          'Words found in displayName, publisher, description or a category ("slack", "\\"chat\\"").',
      }),
    ),
    $filter: Type.Optional(
      Type.String({
        maxLength: 500,
        description:
          "`categories/any(c:c eq 'crm')`, `displayName eq 'Slack'`, `startswith(displayName,'Sl')`, joined with `and`.",
      }),
    ),
  },
  { additionalProperties: false },
);
export type ApplicationTemplateListQuery = Static<typeof applicationTemplateListQuerySchema>;

export const applicationTemplateInstantiateSchema = Type.Object(
  { displayName: displayNameText() },
  { additionalProperties: false },
);
export type ApplicationTemplateInstantiate = Static<typeof applicationTemplateInstantiateSchema>;

/** Graph's `applicationServicePrincipal`: what `instantiate` answers. */
export const applicationServicePrincipalSchema = Type.Object({
  application: Type.Object({
    id: Type.String(),
    appId: Type.String(),
    displayName: Type.String(),
    applicationTemplateId: nullableString(),
  }),
  servicePrincipal: servicePrincipalSchema,
});
export type ApplicationServicePrincipal = Static<typeof applicationServicePrincipalSchema>;

/** Graph's `synchronizationTemplate`: what a provisioning job of an application may be created from. */
export const synchronizationTemplateSchema = Type.Object({
  id: Type.String(),
  applicationId: Type.String(),
  default: Type.Boolean(),
  description: Type.String(),
  discoverable: Type.Boolean(),
  factoryTag: Type.String(),
  metadata: Type.Array(Type.Object({ key: Type.String(), value: Type.String() })),
  schema: synchronizationSchemaSchema,
});
export type SynchronizationTemplate = Static<typeof synchronizationTemplateSchema>;
export const synchronizationTemplateCollectionSchema = collectionOf(synchronizationTemplateSchema);
