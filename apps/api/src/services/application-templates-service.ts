import {
  type AppRole,
  type ApplicationServicePrincipal,
  type ApplicationTemplate,
  type ApplicationTemplateListQuery,
  type SynchronizationTemplate,
} from '@provisio/contracts';
import { defaultAppRoles } from '@provisio/db';
import {
  applicationTemplates,
  findApplicationTemplate,
  nonGalleryScimTemplate,
  searchTemplates,
  toApplicationTemplate,
  type GalleryTemplate,
} from '@provisio/gallery';
import { AppError, invalidField } from '../errors';
import { recordAudit } from './audit';
import type { RequestContext, ServiceDeps } from './context';
import { insertJobFromTemplate } from './jobs-service';
import { writeTransaction } from './transaction';

type Predicate = (t: GalleryTemplate) => boolean;

const FILTER_HELP =
  "Use categories/any(c:c eq 'crm'), displayName eq 'Slack', startswith(displayName,'Sl') or contains(displayName,'hub'), joined with and.";

const unquote = (s: string) => s.slice(1, -1).replace(/''/g, "'");

/** One clause of `$filter` on templates, or null when it is not one we understand. */
function clausePredicate(clause: string): Predicate | null {
  const q = "('(?:[^']|'')*')";
  let m = new RegExp(`^categories/any\\(\\s*(\\w+)\\s*:\\s*\\1\\s+eq\\s+${q}\\s*\\)$`, 'i').exec(clause);
  if (m) {
    const value = unquote(m[2]!).toLowerCase();
    return (t) => t.categories.some((c) => c.toLowerCase() === value);
  }
  m = new RegExp(`^(displayName|publisher|id)\\s+eq\\s+${q}$`, 'i').exec(clause);
  if (m) {
    const key =
      m[1]!.toLowerCase() === 'displayname' ? 'displayName' : (m[1]!.toLowerCase() as 'publisher' | 'id');
    const value = unquote(m[2]!).toLowerCase();
    return (t) => t[key].toLowerCase() === value;
  }
  m = new RegExp(`^(startswith|contains)\\(\\s*(displayName|publisher)\\s*,\\s*${q}\\s*\\)$`, 'i').exec(
    clause,
  );
  if (m) {
    const fn = m[1]!.toLowerCase();
    const key = m[2]!.toLowerCase() === 'displayname' ? 'displayName' : 'publisher';
    const value = unquote(m[3]!).toLowerCase();
    return fn === 'startswith'
      ? (t) => t[key].toLowerCase().startsWith(value)
      : (t) => t[key].toLowerCase().includes(value);
  }
  return null;
}

/** Graph's `$filter` on applicationTemplates: the clauses joined with `and`; anything else is refused. */
export function templateFilter(filter: string): Predicate {
  const clauses = filter.split(/\s+and\s+/i).map((c) => c.trim());
  const predicates = clauses.map((clause) => {
    const p = clause === '' ? null : clausePredicate(clause);
    if (!p) {
      throw invalidField(
        'query/$filter',
        `query/$filter: '${clause}' is not a filter on application templates. ${FILTER_HELP}`,
        'application_template.invalid_filter',
      );
    }
    return p;
  });
  return (t) => predicates.every((p) => p(t));
}

/** The gallery: application templates, creating an application from one, and the job templates of an application. */
export class ApplicationTemplatesService {
  constructor(private readonly deps: ServiceDeps) {}

  list(query: ApplicationTemplateListQuery): ApplicationTemplate[] {
    // Graph puts $search terms in double quotes; the quotes are not part of the words.
    const search = (query.$search ?? '').replace(/"/g, ' ');
    const found = searchTemplates(search, applicationTemplates);
    const filtered = query.$filter ? found.filter(templateFilter(query.$filter)) : found;
    return filtered.map(toApplicationTemplate);
  }

  get(id: string): ApplicationTemplate {
    return toApplicationTemplate(this.template(id));
  }

  /**
   * Adds an application from a template: the service principal gets the default access role and
   * the template's app roles, and its provisioning job is created from the template's
   * synchronization template, in one transaction with its audit events.
   */
  instantiate(ctx: RequestContext, id: string, displayName: string): Promise<ApplicationServicePrincipal> {
    const { db, now, cycleIntervalSeconds } = this.deps;
    const template = this.template(id);
    const name = displayName.trim();
    if (name === '') {
      throw invalidField(
        'body/displayName',
        'body/displayName: give the application a name (it may not be blank).',
      );
    }
    return writeTransaction(db, async (tx) => {
      const templateRoles: AppRole[] = template.appRoles.map((r) => ({ ...r, isEnabled: true }));
      const sp = await tx.applications.insertServicePrincipal({
        displayName: name,
        applicationTemplateId: template.id,
        appRoles: [...defaultAppRoles(), ...templateRoles],
        notes: null,
      });
      const target = { id: sp.id, displayName: sp.displayName, type: 'ServicePrincipal' };
      await recordAudit(tx, ctx, now(), {
        category: 'ApplicationManagement',
        activity: 'Add service principal',
        operationType: 'Add',
        targets: [target],
        additionalDetails: { ApplicationTemplateId: template.id },
      });
      if (template.supportedFeatures.users) {
        const job = await insertJobFromTemplate(
          tx,
          sp.id,
          template.synchronizationTemplateId,
          cycleIntervalSeconds,
        );
        await recordAudit(tx, ctx, now(), {
          category: 'ProvisioningManagement',
          activity: 'Add provisioning configuration',
          operationType: 'Add',
          targets: [target],
          additionalDetails: { JobId: job.id, TemplateId: job.templateId },
        });
      }
      return {
        application: {
          id: sp.appId,
          appId: sp.appId,
          displayName: sp.displayName,
          applicationTemplateId: template.id,
        },
        servicePrincipal: sp,
      };
    });
  }

  /** The synchronization templates a job of this application may be created from: its template's. */
  async synchronizationTemplates(servicePrincipalId: string): Promise<SynchronizationTemplate[]> {
    const sp = await this.deps.db.applications.getServicePrincipal(servicePrincipalId);
    const template =
      (sp.applicationTemplateId ? findApplicationTemplate(sp.applicationTemplateId) : undefined) ??
      nonGalleryScimTemplate;
    return [
      {
        id: template.synchronizationTemplateId,
        applicationId: sp.appId,
        default: true,
        description: `Provisioning to ${template.displayName}: ${template.description}`,
        discoverable: true,
        factoryTag: template.synchronizationTemplateId,
        metadata: [
          { key: 'applicationTemplateId', value: template.id },
          { key: 'patchDialect', value: template.scimDialect.patchDialect },
        ],
        schema: template.defaultSchema(template.synchronizationTemplateId),
      },
    ];
  }

  private template(id: string): GalleryTemplate {
    const template = findApplicationTemplate(id);
    if (!template) {
      throw new AppError(
        'application_template.not_found',
        404,
        `The gallery has no application template '${id}'. List them with GET /applicationTemplates.`,
      );
    }
    return template;
  }
}
