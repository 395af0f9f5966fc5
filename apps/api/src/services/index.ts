import { AccountsService } from './accounts-service';
import { ApplicationTemplatesService } from './application-templates-service';
import { ApplicationsService } from './applications-service';
import { AuthService, type SessionLifetime } from './auth-service';
import { BulkOperationsService, type BulkOperationsOptions } from './bulk-operations-service';
import { ConfigurationService } from './configuration-service';
import type { ServiceDeps } from './context';
import { DirectoryQueryService } from './directory-query-service';
import { GroupsService } from './groups-service';
import { JobsService } from './jobs-service';
import { LogSummaryService } from './log-summary-service';
import { LogsService } from './logs-service';
import { OnDemandService, type OnDemandOptions } from './on-demand-service';
import { ExplainService } from './explain-service';
import { ExtensionPropertiesService } from './extension-properties-service';
import { PreviewsService } from './previews-service';
import { DeletedUsersService } from './deleted-users-service';
import { ProvisioningHealthService } from './provisioning-health-service';
import { TargetChecksService } from './target-checks-service';
import { TokensService } from './tokens-service';
import { SchemaService } from './schema-service';
import { UsersService } from './users-service';

export interface Services {
  auth: AuthService;
  accounts: AccountsService;
  users: UsersService;
  groups: GroupsService;
  /** Graph's list parameters and delta query on users and groups. */
  directoryQueries: DirectoryQueryService;
  /** Directory extension attributes (`/directory/extensionProperties`). */
  extensionProperties: ExtensionPropertiesService;
  applications: ApplicationsService;
  /** The gallery: `applicationTemplates`, `instantiate`, a job's synchronization templates. */
  applicationTemplates: ApplicationTemplatesService;
  deletedUsers: DeletedUsersService;
  jobs: JobsService;
  schema: SchemaService;
  /** Export and import of an application's provisioning configuration. */
  configuration: ConfigurationService;
  logs: LogsService;
  logSummary: LogSummaryService;
  onDemand: OnDemandService;
  previews: PreviewsService;
  tokens: TokensService;
  explain: ExplainService;
  /** Target conformance checks of a job's application (an addition to Graph). */
  targetChecks: TargetChecksService;
  provisioningHealth: ProvisioningHealthService;
  bulkOperations: BulkOperationsService;
}

/** Builds every service; resolves once they are ready for requests (interrupted bulk operations failed). */
export async function createServices(
  deps: ServiceDeps,
  options: { session: SessionLifetime; onDemand: OnDemandOptions; bulk: BulkOperationsOptions },
): Promise<Services> {
  const jobs = new JobsService(deps);
  const schema = new SchemaService(deps);
  const bulkOperations = new BulkOperationsService(deps, options.bulk);
  await bulkOperations.failInterrupted();
  return {
    auth: new AuthService(deps, options.session),
    accounts: new AccountsService(deps),
    users: new UsersService(deps),
    groups: new GroupsService(deps),
    directoryQueries: new DirectoryQueryService(deps),
    extensionProperties: new ExtensionPropertiesService(deps),
    applications: new ApplicationsService(deps),
    applicationTemplates: new ApplicationTemplatesService(deps),
    jobs,
    schema,
    configuration: new ConfigurationService(deps, schema, jobs),
    logs: new LogsService(deps),
    deletedUsers: new DeletedUsersService(deps),
    logSummary: new LogSummaryService(deps),
    onDemand: new OnDemandService(deps, options.onDemand),
    previews: new PreviewsService(deps, jobs),
    tokens: new TokensService(deps),
    explain: new ExplainService(deps),
    targetChecks: new TargetChecksService(deps, jobs),
    provisioningHealth: new ProvisioningHealthService(deps),
    bulkOperations,
  };
}
