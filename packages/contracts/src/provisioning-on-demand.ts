import { Type, type Static } from 'typebox';
import { provisioningObjectSummarySchema } from './provisioning-logs';

/** At most five subjects (users) per request, as Entra's group-and-members form allows. */
export const ON_DEMAND_MAX_SUBJECTS = 5;

const objectId = Type.String({ minLength: 1, maxLength: 200, description: 'The directory object id.' });

export const synchronizationJobSubjectSchema = Type.Object({
  objectId,
  objectTypeName: Type.String({
    minLength: 1,
    maxLength: 50,
    description: 'User. (Group with links.members is Graph’s form for a group and its members.)',
  }),
  links: Type.Optional(
    Type.Object({
      members: Type.Optional(
        Type.Array(Type.Object({ objectId, objectTypeName: Type.String({ maxLength: 50 }) }), {
          maxItems: ON_DEMAND_MAX_SUBJECTS,
        }),
      ),
    }),
  ),
});
export type SynchronizationJobSubject = Static<typeof synchronizationJobSubjectSchema>;

/** Graph's `synchronizationJobApplicationParameters`. */
export const synchronizationJobApplicationParametersSchema = Type.Object({
  ruleId: Type.String({ minLength: 1, maxLength: 200, description: 'The synchronization rule (schema) id.' }),
  subjects: Type.Array(synchronizationJobSubjectSchema, { minItems: 1, maxItems: ON_DEMAND_MAX_SUBJECTS }),
});

/** The body of `POST …/jobs/{jobId}/provisionOnDemand` (Graph's). */
export const provisionOnDemandRequestSchema = Type.Object({
  parameters: Type.Array(synchronizationJobApplicationParametersSchema, { minItems: 1, maxItems: 1 }),
});
export type ProvisionOnDemandRequest = Static<typeof provisionOnDemandRequestSchema>;

/**
 * The answer: Graph's `stringKeyStringValuePair`, whose `key` is the JSON of the result
 * (`{"result":"Success","details":{}}`) and whose `value` the JSON of the provisioning event (an array
 * of them for several subjects) in Graph's on-demand shape. `provisioningEvents` is our addition: the
 * same events as provisioningObjectSummary objects, as the provisioning logs hold them.
 */
export const provisionOnDemandResponseSchema = Type.Object({
  '@odata.type': Type.Literal('#microsoft.graph.stringKeyStringValuePair'),
  key: Type.String(),
  value: Type.String(),
  provisioningEvents: Type.Array(provisioningObjectSummarySchema),
});
export type ProvisionOnDemandResponse = Static<typeof provisionOnDemandResponseSchema>;
