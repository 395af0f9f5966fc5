/**
 * What provisioning events have in common, as the worker wrote them when format 1 of event bodies
 * was released: a failed creation, a skip, an update and a creation, every varying value emptied.
 * Their JSON, in this order (the commonest last, where deflate finds it cheapest), is the preset
 * dictionary of format 1 (see event-body.ts). Released: never edit it; a test pins its hash.
 */
export const FORMAT_1_SAMPLE_EVENTS: readonly unknown[] = [
  // failure
  {
    id: '00000000-0000-0000-0000-000000000000',
    activityDateTime: '2026-01-01T00:00:00.000Z',
    changeId: '00000000-0000-0000-0000-000000000000',
    cycleId: '00000000-0000-0000-0000-000000000000',
    jobId: 'scim.00000000000000000000000000000000',
    durationInMilliseconds: 1,
    initiatedBy: { id: '', displayName: 'Provisio Provisioning Service', initiatorType: 'system' },
    modifiedProperties: [
      { displayName: 'userName', oldValue: null, newValue: null },
      { displayName: 'active', oldValue: null, newValue: 'True' },
      { displayName: 'displayName', oldValue: null, newValue: null },
      { displayName: 'title', oldValue: null, newValue: null },
      { displayName: 'emails[type eq "work"].value', oldValue: null, newValue: null },
      { displayName: 'externalId', oldValue: null, newValue: null },
    ],
    provisioningAction: 'create',
    provisioningStatusInfo: {
      status: 'failure',
      errorInformation: {
        errorCode: 'SystemForCrossDomainIdentityManagementBadRequest',
        reason: '',
        additionalDetails: null,
        errorCategory: 'nonServiceFailure',
        recommendedAction:
          'Check the attribute mappings:  does not accept one of the values or attributes sent (see the request in the export step).',
      },
    },
    provisioningSteps: [
      {
        name: 'EntryImport',
        provisioningStepType: 'import',
        status: 'success',
        description: "Retrieved User '' from Provisio Directory",
        details: {
          objectId: '00000000-0000-0000-0000-000000000000',
          accountEnabled: 'True',
          IsSoftDeleted: 'False',
          appRoleAssignments: '["00000000-0000-0000-0000-000000000000"]',
        },
      },
      {
        name: 'EntrySynchronizationScoping',
        provisioningStepType: 'scoping',
        status: 'success',
        description:
          "Determine if User in scope by evaluating against each scoping filter: the User '' is in scope",
        details: {
          IsActive: 'True',
          Assigned: 'True',
          ScopeSyncAll: 'False',
          IsEffectivelyEntitledForProvisioning: 'True',
          IsInProvisioningScope: 'True',
          ScopeEvaluationResult: '{}',
        },
      },
      {
        name: 'EntryImport',
        provisioningStepType: 'matching',
        status: 'success',
        description: 'No matching User was found in ',
        details: { 'Searched userName': '' },
      },
      {
        name: 'EntryExportAdd',
        provisioningStepType: 'export',
        status: 'failure',
        description: "Failed to create User '' in ",
        details: {
          ReportableIdentifier: '',
          Request: 'POST http://127.0.0.1/scim/v2/Users',
          RequestBody:
            '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"userName":"","active":true,"displayName":"","title":"","emails":[{"type":"work","value":"","primary":true}],"externalId":"","name":{"givenName":"","familyName":""},"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"","employeeNumber":""}}',
          ResponseStatus: '201',
          DurationMs: '1',
        },
      },
    ],
    servicePrincipal: { id: '00000000-0000-0000-0000-000000000000', displayName: '' },
    sourceIdentity: {
      id: '00000000-0000-0000-0000-000000000000',
      displayName: '',
      identityType: 'User',
      details: {},
    },
    targetIdentity: {
      id: '',
      displayName: '',
      identityType: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      details: {},
    },
    sourceSystem: { id: 'Provisio', displayName: 'Provisio Directory', details: {} },
    targetSystem: {
      id: 'scim.00000000000000000000000000000000',
      displayName: '',
      details: {
        ServicePrincipalId: '00000000-0000-0000-0000-000000000000',
        ServicePrincipalDisplayName: '',
      },
    },
    tenantId: '',
  },
  // skipped
  {
    id: '00000000-0000-0000-0000-000000000000',
    activityDateTime: '2026-01-01T00:00:00.000Z',
    changeId: '00000000-0000-0000-0000-000000000000',
    cycleId: '00000000-0000-0000-0000-000000000000',
    jobId: 'scim.00000000000000000000000000000000',
    durationInMilliseconds: 1,
    initiatedBy: { id: '', displayName: 'Provisio Provisioning Service', initiatorType: 'system' },
    modifiedProperties: [],
    provisioningAction: 'other',
    provisioningStatusInfo: {
      status: 'skipped',
      errorInformation: {
        errorCode: 'NotEffectivelyEntitled',
        reason:
          "The User '' will be skipped: this object does not have the required entitlement for provisioning because it is not assigned to the application, directly or through a group it is a direct member of.",
        additionalDetails: null,
        errorCategory: 'success',
        recommendedAction:
          "Assign the user to the application (Users and groups), or add it to an assigned group, or change Scope to 'Sync all users and groups'.",
      },
    },
    provisioningSteps: [
      {
        name: 'EntryImport',
        provisioningStepType: 'import',
        status: 'success',
        description: "Retrieved User '' from Provisio Directory",
        details: {
          objectId: '00000000-0000-0000-0000-000000000000',
          accountEnabled: 'True',
          IsSoftDeleted: 'False',
          appRoleAssignments: '["00000000-0000-0000-0000-000000000000"]',
        },
      },
      {
        name: 'EntrySynchronizationScoping',
        provisioningStepType: 'scoping',
        status: 'skipped',
        description:
          "Determine if User in scope by evaluating against each scoping filter: the User '' is out of scope",
        details: {
          IsActive: 'True',
          Assigned: 'False',
          ScopeSyncAll: 'False',
          IsEffectivelyEntitledForProvisioning: 'False',
          IsInProvisioningScope: 'False',
          ScopeEvaluationResult: '{}',
        },
      },
      {
        name: 'EntrySynchronizationSkip',
        provisioningStepType: 'export',
        status: 'skipped',
        description: "The User '' is not effectively entitled for provisioning to ; it was skipped.",
        details: { SkipReason: 'NotEffectivelyEntitled', ReportableIdentifier: '' },
      },
    ],
    servicePrincipal: { id: '00000000-0000-0000-0000-000000000000', displayName: '' },
    sourceIdentity: {
      id: '00000000-0000-0000-0000-000000000000',
      displayName: '',
      identityType: 'User',
      details: {},
    },
    targetIdentity: {
      id: '',
      displayName: '',
      identityType: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      details: {},
    },
    sourceSystem: { id: 'Provisio', displayName: 'Provisio Directory', details: {} },
    targetSystem: {
      id: 'scim.00000000000000000000000000000000',
      displayName: '',
      details: {
        ServicePrincipalId: '00000000-0000-0000-0000-000000000000',
        ServicePrincipalDisplayName: '',
      },
    },
    tenantId: '',
  },
  // update
  {
    id: '00000000-0000-0000-0000-000000000000',
    activityDateTime: '2026-01-01T00:00:00.000Z',
    changeId: '00000000-0000-0000-0000-000000000000',
    cycleId: '00000000-0000-0000-0000-000000000000',
    jobId: 'scim.00000000000000000000000000000000',
    durationInMilliseconds: 1,
    initiatedBy: { id: '', displayName: 'Provisio Provisioning Service', initiatorType: 'system' },
    modifiedProperties: [{ displayName: 'title', oldValue: null, newValue: null }],
    provisioningAction: 'update',
    provisioningStatusInfo: { status: 'success', errorInformation: null },
    provisioningSteps: [
      {
        name: 'EntryImport',
        provisioningStepType: 'import',
        status: 'success',
        description: "Retrieved User '' from Provisio Directory",
        details: {
          objectId: '00000000-0000-0000-0000-000000000000',
          accountEnabled: 'True',
          IsSoftDeleted: 'False',
          appRoleAssignments: '["00000000-0000-0000-0000-000000000000"]',
        },
      },
      {
        name: 'EntrySynchronizationScoping',
        provisioningStepType: 'scoping',
        status: 'success',
        description:
          "Determine if User in scope by evaluating against each scoping filter: the User '' is in scope",
        details: {
          IsActive: 'True',
          Assigned: 'True',
          ScopeSyncAll: 'False',
          IsEffectivelyEntitledForProvisioning: 'True',
          IsInProvisioningScope: 'True',
          ScopeEvaluationResult: '{}',
        },
      },
      {
        name: 'EntryImport',
        provisioningStepType: 'matching',
        status: 'success',
        description: "Retrieved '' from ",
        details: {
          MatchedBy: 'id (the link kept in the connector data store)',
          id: '00000000-0000-0000-0000-000000000000',
        },
      },
      {
        name: 'EntryExportUpdate',
        provisioningStepType: 'export',
        status: 'success',
        description: "User '' was updated in ",
        details: {
          ReportableIdentifier: '',
          Request: 'PATCH http://127.0.0.1/scim/v2/Users/00000000-0000-0000-0000-000000000000',
          RequestBody:
            '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":""}]}',
          ResponseStatus: '200',
          DurationMs: '1',
        },
      },
    ],
    servicePrincipal: { id: '00000000-0000-0000-0000-000000000000', displayName: '' },
    sourceIdentity: {
      id: '00000000-0000-0000-0000-000000000000',
      displayName: '',
      identityType: 'User',
      details: {},
    },
    targetIdentity: {
      id: '00000000-0000-0000-0000-000000000000',
      displayName: '',
      identityType: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      details: {},
    },
    sourceSystem: { id: 'Provisio', displayName: 'Provisio Directory', details: {} },
    targetSystem: {
      id: 'scim.00000000000000000000000000000000',
      displayName: '',
      details: {
        ServicePrincipalId: '00000000-0000-0000-0000-000000000000',
        ServicePrincipalDisplayName: '',
      },
    },
    tenantId: '',
  },
  // create
  {
    id: '00000000-0000-0000-0000-000000000000',
    activityDateTime: '2026-01-01T00:00:00.000Z',
    changeId: '00000000-0000-0000-0000-000000000000',
    cycleId: '00000000-0000-0000-0000-000000000000',
    jobId: 'scim.00000000000000000000000000000000',
    durationInMilliseconds: 1,
    initiatedBy: { id: '', displayName: 'Provisio Provisioning Service', initiatorType: 'system' },
    modifiedProperties: [
      { displayName: 'userName', oldValue: null, newValue: null },
      { displayName: 'active', oldValue: null, newValue: 'True' },
      { displayName: 'displayName', oldValue: null, newValue: null },
      { displayName: 'title', oldValue: null, newValue: null },
      { displayName: 'emails[type eq "work"].value', oldValue: null, newValue: null },
      { displayName: 'externalId', oldValue: null, newValue: null },
    ],
    provisioningAction: 'create',
    provisioningStatusInfo: { status: 'success', errorInformation: null },
    provisioningSteps: [
      {
        name: 'EntryImport',
        provisioningStepType: 'import',
        status: 'success',
        description: "Retrieved User '' from Provisio Directory",
        details: {
          objectId: '00000000-0000-0000-0000-000000000000',
          accountEnabled: 'True',
          IsSoftDeleted: 'False',
          appRoleAssignments: '["00000000-0000-0000-0000-000000000000"]',
        },
      },
      {
        name: 'EntrySynchronizationScoping',
        provisioningStepType: 'scoping',
        status: 'success',
        description:
          "Determine if User in scope by evaluating against each scoping filter: the User '' is in scope",
        details: {
          IsActive: 'True',
          Assigned: 'True',
          ScopeSyncAll: 'False',
          IsEffectivelyEntitledForProvisioning: 'True',
          IsInProvisioningScope: 'True',
          ScopeEvaluationResult: '{}',
        },
      },
      {
        name: 'EntryImport',
        provisioningStepType: 'matching',
        status: 'success',
        description: 'No matching User was found in ',
        details: { 'Searched userName': '' },
      },
      {
        name: 'EntryExportAdd',
        provisioningStepType: 'export',
        status: 'success',
        description: "User '' was created in ",
        details: {
          ReportableIdentifier: '',
          Request: 'POST http://127.0.0.1/scim/v2/Users',
          RequestBody:
            '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"userName":"","active":true,"displayName":"","title":"","emails":[{"type":"work","value":"","primary":true}],"externalId":"","name":{"givenName":"","familyName":""},"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"","employeeNumber":""}}',
          ResponseStatus: '201',
          DurationMs: '1',
        },
      },
    ],
    servicePrincipal: { id: '00000000-0000-0000-0000-000000000000', displayName: '' },
    sourceIdentity: {
      id: '00000000-0000-0000-0000-000000000000',
      displayName: '',
      identityType: 'User',
      details: {},
    },
    targetIdentity: {
      id: '00000000-0000-0000-0000-000000000000',
      displayName: '',
      identityType: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      details: {},
    },
    sourceSystem: { id: 'Provisio', displayName: 'Provisio Directory', details: {} },
    targetSystem: {
      id: 'scim.00000000000000000000000000000000',
      displayName: '',
      details: {
        ServicePrincipalId: '00000000-0000-0000-0000-000000000000',
        ServicePrincipalDisplayName: '',
      },
    },
    tenantId: '',
  },
];
