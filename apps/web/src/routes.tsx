import type { ComponentType } from 'react';
import type { RouteObject } from 'react-router';
import { AppShell } from './components/AppShell';
import { RouteErrorPage } from './pages/RouteError';

/**
 * A page loaded when its route is first visited (react-router's `lazy`, which loads it before the
 * navigation commits, so no fallback flashes): the first page carries only the shell and itself.
 */
const page =
  <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  async () => ({ Component: (await load())[name] });

/**
 * The one route table of the portal. Paths are mirrored by `paths.ts` for links;
 * the application's pages share its left sub-navigation through `ApplicationPage`.
 */
export const routes: RouteObject[] = [
  {
    path: '/sign-in',
    lazy: page(() => import('./pages/SignIn'), 'SignInPage'),
    errorElement: <RouteErrorPage />,
  },
  {
    path: '/',
    element: <AppShell />,
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, lazy: page(() => import('./pages/Overview'), 'OverviewPage') },
      { path: 'users', lazy: page(() => import('./pages/Users'), 'UsersPage') },
      { path: 'users/:userId', lazy: page(() => import('./pages/User'), 'UserPage') },
      {
        path: 'users/bulk-operations',
        lazy: page(() => import('./pages/BulkOperations'), 'BulkOperationsPage'),
      },
      {
        path: 'users/bulk-operations/:operationId',
        lazy: page(() => import('./pages/BulkOperation'), 'BulkOperationPage'),
      },
      { path: 'deleted-users', lazy: page(() => import('./pages/DeletedUsers'), 'DeletedUsersPage') },
      {
        path: 'extension-attributes',
        lazy: page(() => import('./pages/ExtensionAttributes'), 'ExtensionAttributesPage'),
      },
      { path: 'groups', lazy: page(() => import('./pages/Groups'), 'GroupsPage') },
      { path: 'groups/:groupId', lazy: page(() => import('./pages/Group'), 'GroupPage') },
      { path: 'applications', lazy: page(() => import('./pages/Applications'), 'ApplicationsPage') },
      { path: 'applications/gallery', lazy: page(() => import('./pages/Gallery'), 'GalleryPage') },
      {
        path: 'applications/gallery/:templateId',
        lazy: page(() => import('./pages/GalleryTemplate'), 'GalleryTemplatePage'),
      },
      {
        path: 'applications/:servicePrincipalId',
        lazy: page(() => import('./pages/Application'), 'ApplicationPage'),
        children: [
          {
            index: true,
            lazy: page(() => import('./pages/ApplicationOverview'), 'ApplicationOverviewPage'),
            handle: { section: 'Overview' },
          },
          {
            path: 'users-and-groups',
            lazy: page(() => import('./pages/Assignments'), 'AssignmentsPage'),
            handle: { section: 'Users and groups' },
          },
          {
            path: 'app-roles',
            lazy: page(() => import('./pages/AppRoles'), 'AppRolesPage'),
            handle: { section: 'App roles' },
          },
          {
            path: 'provisioning',
            lazy: page(() => import('./pages/Provisioning'), 'ProvisioningPage'),
            handle: { section: 'Provisioning' },
          },
          {
            path: 'provisioning/mappings/:mappingIndex',
            lazy: page(() => import('./pages/AttributeMapping'), 'AttributeMappingPage'),
            handle: { section: 'Attribute Mapping' },
          },
          {
            path: 'provisioning/tutorial',
            lazy: page(() => import('./pages/SetupTutorial'), 'SetupTutorialPage'),
            handle: { section: 'Setup tutorial' },
          },
          {
            path: 'provisioning/on-demand',
            lazy: page(() => import('./pages/ProvisionOnDemand'), 'ProvisionOnDemandPage'),
            handle: { section: 'Provision on demand' },
          },
          {
            path: 'provisioning/explain',
            lazy: page(() => import('./pages/Explain'), 'ExplainPage'),
            handle: { section: 'Explain' },
          },
          {
            path: 'provisioning/previews/:previewId',
            lazy: page(() => import('./pages/CyclePreview'), 'CyclePreviewPage'),
            handle: { section: 'Preview' },
          },
          {
            path: 'provisioning-logs',
            lazy: page(() => import('./pages/ProvisioningLogs'), 'ProvisioningLogsPage'),
            handle: { section: 'Provisioning logs' },
          },
          {
            path: 'audit-logs',
            lazy: page(() => import('./pages/AuditLogs'), 'AuditLogsPage'),
            handle: { section: 'Audit logs' },
          },
        ],
      },
      {
        path: 'provisioning-logs',
        lazy: page(() => import('./pages/ProvisioningLogs'), 'ProvisioningLogsPage'),
      },
      {
        path: 'provisioning-logs/objects/:objectId',
        lazy: page(() => import('./pages/ObjectTimeline'), 'ObjectTimelinePage'),
      },
      { path: 'audit-logs', lazy: page(() => import('./pages/AuditLogs'), 'AuditLogsPage') },
      { path: 'accounts', lazy: page(() => import('./pages/Accounts'), 'AccountsPage') },
      { path: 'tokens', lazy: page(() => import('./pages/Tokens'), 'TokensPage') },
      { path: '*', lazy: page(() => import('./pages/NotFound'), 'NotFoundPage') },
    ],
  },
];
