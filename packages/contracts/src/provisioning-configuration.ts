import { Type, type Static } from 'typebox';
import { appRoleSchema } from './applications';
import { synchronizationSchemaPutSchema } from './attribute-mappings';
import { errorDetailSchema, nullableString } from './common';
import { mappingChangeSchema } from './synchronization';

/**
 * The marker of an exported provisioning configuration (our addition to Graph). A document without
 * it is not one of ours; `formatVersion` says which layout it has, so a later Provisio can still read
 * the documents of this one.
 */
export const PROVISIONING_CONFIGURATION_FORMAT = 'provisio.provisioningConfiguration';
export const PROVISIONING_CONFIGURATION_VERSION = 1;

/** The settings a configuration carries: the Settings section and the job settings, never a credential. */
export const provisioningConfigurationSettingsSchema = Type.Object(
  {
    /** The time between cycles, an ISO 8601 duration from PT20M to PT24H. */
    interval: Type.String({ maxLength: 100, description: 'ISO 8601 duration, e.g. PT40M.' }),
    /** Scope: true for "Sync all users and groups", false for "Sync only assigned users and groups". */
    syncAll: Type.Boolean(),
    /** SkipOutOfScopeDeletions: users leaving scope are left as they are in the application. */
    skipOutOfScopeDeletions: Type.Boolean(),
    /**
     * The SyncNotificationSettings secret as an object (`Enabled`, `Recipients`,
     * `DeleteThresholdEnabled`), null when none is saved.
     */
    notificationSettings: Type.Union([
      Type.Object(
        {
          Enabled: Type.Optional(Type.Boolean()),
          Recipients: Type.Optional(Type.String({ maxLength: 2000 })),
          DeleteThresholdEnabled: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    /** The job settings of `PATCH …/jobs/{jobId}`, by name; one left out has its default. */
    synchronizationJobSettings: Type.Array(
      Type.Object(
        { name: Type.String({ minLength: 1, maxLength: 100 }), value: Type.String({ maxLength: 1000 }) },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);
export type ProvisioningConfigurationSettings = Static<typeof provisioningConfigurationSettingsSchema>;

/**
 * An application's provisioning configuration as one JSON document (`GET …/jobs/{jobId}/configuration`):
 * the job's schema (attribute lists, object mappings, attribute mappings, scoping filters, matching
 * precedence), its settings and the application's app roles. The Tenant URL and the Secret Token are
 * never part of it: they are entered again in the application it is imported into.
 */
export const provisioningConfigurationSchema = Type.Object(
  {
    format: Type.Literal(PROVISIONING_CONFIGURATION_FORMAT),
    formatVersion: Type.Literal(PROVISIONING_CONFIGURATION_VERSION),
    exportedDateTime: Type.String({ format: 'date-time' }),
    /** Where it was exported from, for a person reading the file; an import does not use it. */
    exportedFrom: Type.Object(
      {
        servicePrincipalId: Type.String({ maxLength: 200 }),
        displayName: Type.String({ maxLength: 256 }),
        applicationTemplateId: nullableString({ maxLength: 200 }),
        jobId: Type.String({ maxLength: 200 }),
        templateId: Type.String({ maxLength: 200 }),
      },
      { additionalProperties: false },
    ),
    schema: Type.Object(
      {
        synchronizationRules: synchronizationSchemaPutSchema.properties.synchronizationRules,
        directories: synchronizationSchemaPutSchema.properties.directories,
      },
      { additionalProperties: false },
    ),
    settings: provisioningConfigurationSettingsSchema,
    appRoles: Type.Array(appRoleSchema, { maxItems: 200 }),
  },
  { additionalProperties: false },
);
export type ProvisioningConfiguration = Static<typeof provisioningConfigurationSchema>;

/**
 * What `PUT …/configuration` and `POST …/configuration/validate` accept at the edge: any JSON object.
 * The service checks the format marker first, so that a file that is not a configuration is named as
 * such rather than as a hundred missing fields, and then every field of the document.
 */
export const provisioningConfigurationImportSchema = Type.Object(
  {
    format: Type.Optional(Type.Unknown()),
    formatVersion: Type.Optional(Type.Unknown()),
  },
  {
    additionalProperties: true,
    description: `A document exported by GET …/configuration (format "${PROVISIONING_CONFIGURATION_FORMAT}", formatVersion ${PROVISIONING_CONFIGURATION_VERSION}).`,
  },
);

/** The answer of an import: what changed (the same list its audit event records). */
export const provisioningConfigurationImportResultSchema = Type.Object({
  /** False when the application already had this configuration. */
  applied: Type.Boolean(),
  /** The schema version after the import. */
  version: Type.String(),
  changes: Type.Array(mappingChangeSchema),
});
export type ProvisioningConfigurationImportResult = Static<
  typeof provisioningConfigurationImportResultSchema
>;

/** The answer of a dry run: the problems an import would be refused with, else what it would change. */
export const provisioningConfigurationValidationSchema = Type.Object({
  problems: Type.Array(errorDetailSchema),
  changes: Type.Array(mappingChangeSchema),
});
export type ProvisioningConfigurationValidation = Static<typeof provisioningConfigurationValidationSchema>;
