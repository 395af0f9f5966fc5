import {
  defaultGroupAttributeMappings,
  defaultScimSchema,
  defaultUserAttributeMappings,
  scimTargetDefinition,
} from '../scim-schema';
import { defineTemplate } from '../template';

const target = scimTargetDefinition();
const objectAttributes = (i: number) => target.objects[i]?.attributes ?? [];

/** "Create your own application": any SCIM 2.0 endpoint, with Entra's defaults for a non-gallery app. */
export const nonGalleryScimTemplate = defineTemplate({
  id: 'scim',
  displayName: 'SCIM 2.0 application (non-gallery)',
  publisher: 'Provisio',
  description:
    'Any application with a SCIM 2.0 endpoint that is not in the gallery: enter its Tenant URL and Secret Token and adjust the mappings to what it supports.',
  categories: ['tools'],
  logo: { letters: 'SC', color: '#5c5c5c' },
  homePageUrl: null,
  nonGallery: true,
  synchronizationTemplateId: 'scim',
  supportedFeatures: { users: true, groups: true, patch: true, roles: false, onDemand: true },
  scimDialect: {
    patchDialect: 'entra',
    tenantUrlFormat: 'https://{your-app}/scim/v2',
    quirks: [
      'Provisio speaks the Entra dialect by default; append `?aadOptscim062020` to the Tenant URL if the application expects the RFC 7644 PATCH forms (`active` as a boolean, lowercase `op`, member removal by path filter).',
    ],
  },
  requestsPerSecond: 25,
  supportedSingleSignOnModes: [],
  userAttributes: objectAttributes(0),
  groupAttributes: objectAttributes(1),
  userMappings: defaultUserAttributeMappings(),
  groupMappings: defaultGroupAttributeMappings(),
  appRoles: [],
  tutorial: {
    prerequisites: [
      'An application with a SCIM 2.0 service provider endpoint reachable from the Provisio server.',
      'A long-lived bearer token the endpoint accepts for creating, updating and deleting users and groups.',
      'An administrator account in Provisio.',
    ],
    credentials:
      "The **Tenant URL** is the application's SCIM base address, the one under which `/Users` and `/Groups` live (for example `https://api.example.com/scim/v2`). The **Secret Token** is a bearer token issued by the application for provisioning; its developers or its admin settings tell where to create one.",
    firstCycle:
      'The initial cycle reads every assigned user and group, looks each up in the application by `userName` (users) and `displayName` (groups), and creates what is missing, updates what differs, then adds group members. Later cycles send only what changed since.',
    troubleshooting: [
      {
        problem: 'Test Connection fails with 401.',
        fix: 'The Secret Token is wrong or expired; create a new one in the application and save it.',
      },
      {
        problem: 'Updates fail with 400 on PATCH.',
        fix: 'The application may expect RFC 7644 PATCH forms: append `?aadOptscim062020` to the Tenant URL.',
      },
      {
        problem: 'Users are skipped as not effectively entitled.',
        fix: 'Assign them (or a group they are a direct member of) in Users and groups.',
      },
    ],
  },
  defaultSchema: defaultScimSchema,
});
