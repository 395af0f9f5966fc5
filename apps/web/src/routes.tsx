import type { RouteObject } from 'react-router';
import { AppShell } from './components/AppShell';
import { AccountsPage } from './pages/Accounts';
import { ApplicationPage } from './pages/Application';
import { ApplicationOverviewPage } from './pages/ApplicationOverview';
import { ApplicationsPage } from './pages/Applications';
import { AttributeMappingPage } from './pages/AttributeMapping';
import { AssignmentsPage } from './pages/Assignments';
import { AuditLogsPage } from './pages/AuditLogs';
import { CyclePreviewPage } from './pages/CyclePreview';
import { ExplainPage } from './pages/Explain';
import { GroupPage } from './pages/Group';
import { GroupsPage } from './pages/Groups';
import { NotFoundPage } from './pages/NotFound';
import { ObjectTimelinePage } from './pages/ObjectTimeline';
import { OverviewPage } from './pages/Overview';
import { ProvisioningPage } from './pages/Provisioning';
import { ProvisioningLogsPage } from './pages/ProvisioningLogs';
import { ProvisionOnDemandPage } from './pages/ProvisionOnDemand';
import { RouteErrorPage } from './pages/RouteError';
import { SignInPage } from './pages/SignIn';
import { TokensPage } from './pages/Tokens';
import { UsersPage } from './pages/Users';

/**
 * The one route table of the portal. Paths are mirrored by `paths.ts` for links;
 * the application's pages share its left sub-navigation through `ApplicationPage`.
 */
export const routes: RouteObject[] = [
  { path: '/sign-in', element: <SignInPage />, errorElement: <RouteErrorPage /> },
  {
    path: '/',
    element: <AppShell />,
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <OverviewPage /> },
      { path: 'users', element: <UsersPage /> },
      { path: 'groups', element: <GroupsPage /> },
      { path: 'groups/:groupId', element: <GroupPage /> },
      { path: 'applications', element: <ApplicationsPage /> },
      {
        path: 'applications/:servicePrincipalId',
        element: <ApplicationPage />,
        children: [
          { index: true, element: <ApplicationOverviewPage />, handle: { section: 'Overview' } },
          { path: 'users-and-groups', element: <AssignmentsPage />, handle: { section: 'Users and groups' } },
          { path: 'provisioning', element: <ProvisioningPage />, handle: { section: 'Provisioning' } },
          {
            path: 'provisioning/mappings/:mappingIndex',
            element: <AttributeMappingPage />,
            handle: { section: 'Attribute Mapping' },
          },
          {
            path: 'provisioning/on-demand',
            element: <ProvisionOnDemandPage />,
            handle: { section: 'Provision on demand' },
          },
          {
            path: 'provisioning/explain',
            element: <ExplainPage />,
            handle: { section: 'Explain' },
          },
          {
            path: 'provisioning/previews/:previewId',
            element: <CyclePreviewPage />,
            handle: { section: 'Preview' },
          },
          {
            path: 'provisioning-logs',
            element: <ProvisioningLogsPage />,
            handle: { section: 'Provisioning logs' },
          },
          { path: 'audit-logs', element: <AuditLogsPage />, handle: { section: 'Audit logs' } },
        ],
      },
      { path: 'provisioning-logs', element: <ProvisioningLogsPage /> },
      { path: 'provisioning-logs/objects/:objectId', element: <ObjectTimelinePage /> },
      { path: 'audit-logs', element: <AuditLogsPage /> },
      { path: 'accounts', element: <AccountsPage /> },
      { path: 'tokens', element: <TokensPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
