import { applicationTemplateSchema, type ApplicationTemplateCategory } from '@provisio/contracts';
import { Value } from 'typebox/value';
import { toApplicationTemplate, type GalleryTemplate } from './template';
import { atlassianTemplate } from './templates/atlassian';
import { egnyteTemplate } from './templates/egnyte';
import { figmaTemplate } from './templates/figma';
import { nonGalleryScimTemplate } from './templates/generic-scim';
import { githubTemplate } from './templates/github';
import { latticeTemplate } from './templates/lattice';
import { linkedInLearningTemplate } from './templates/linkedin-learning';
import { onePasswordTemplate } from './templates/one-password';
import { salesforceTemplate } from './templates/salesforce';
import { sampleAppTemplate } from './templates/sample-app';
import { slackTemplate } from './templates/slack';
import { zoomTemplate } from './templates/zoom';
import { TUTORIAL_SECTIONS } from './tutorial';

export { nonGalleryScimTemplate, sampleAppTemplate };

/** Every template of the gallery, the non-gallery SCIM template first. */
export const applicationTemplates: readonly GalleryTemplate[] = [
  nonGalleryScimTemplate,
  sampleAppTemplate,
  githubTemplate,
  slackTemplate,
  zoomTemplate,
  egnyteTemplate,
  atlassianTemplate,
  latticeTemplate,
  onePasswordTemplate,
  figmaTemplate,
  salesforceTemplate,
  linkedInLearningTemplate,
];

/** The template with this application template id (`slack`), if any. */
export function findApplicationTemplate(id: string): GalleryTemplate | undefined {
  return applicationTemplates.find((t) => t.id === id);
}

/** The template a provisioning job is created from, by its synchronization template id (`scim`, `slack`). */
export function findSynchronizationTemplate(templateId: string): GalleryTemplate | undefined {
  return applicationTemplates.find((t) => t.synchronizationTemplateId === templateId);
}

/**
 * The templates whose displayName, publisher, description or a category contains every word of
 * `text` (case-insensitive); all of them for an empty text.
 *
 * @example searchTemplates('video').map((t) => t.id) // ['zoom']
 */
export function searchTemplates(
  text: string,
  templates: readonly GalleryTemplate[] = applicationTemplates,
): GalleryTemplate[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  return templates.filter((t) => {
    const haystack = [t.displayName, t.publisher, t.description, ...t.categories].join(' ').toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}

export const templatesInCategory = (category: ApplicationTemplateCategory): GalleryTemplate[] =>
  applicationTemplates.filter((t) => t.categories.includes(category));

/** One thing wrong with a template: where (`appRoles/1/id`) and what. */
export interface TemplateProblem {
  path: string;
  message: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks a template against the template schema (the contract's `applicationTemplate` shape) and
 * the rules the shape cannot say: a user mapping with a matching attribute, every mapped target
 * attribute defined in the target schema, groups present exactly when the features say so, roles
 * with GUID ids and a roles mapping when roles are supported, and every tutorial section.
 * Returns no problems for a good template.
 */
export function validateTemplate(t: GalleryTemplate): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  for (const e of Value.Errors(applicationTemplateSchema, toApplicationTemplate(t))) {
    add(e.instancePath.replace(/^\//, '') || '(template)', e.message);
  }
  if (!/^[a-z0-9][a-z0-9-]*$/.test(t.id)) add('id', 'use lowercase letters, digits and hyphens');
  if (!/^[a-z0-9]+$/.test(t.synchronizationTemplateId))
    add('synchronizationTemplateId', 'use lowercase letters and digits (it starts every job id)');
  if (t.categories.length === 0) add('categories', 'name at least one category');
  if (!t.logoUrl.startsWith('data:image/svg+xml,')) add('logoUrl', 'must be an SVG data URL');
  if (t.requestsPerSecond <= 0) add('requestsPerSecond', 'must be above 0');

  const objectNamed = (name: string) =>
    t.targetSchema.objects.find((o) => o.name.toLowerCase() === name.toLowerCase());
  const checkMappings = (
    kind: 'user' | 'group',
    objectName: string,
    mappings: GalleryTemplate['defaultUserMappings'],
  ) => {
    const object = objectNamed(objectName);
    if (!object) {
      add(`targetSchema/${kind}`, `the target schema has no '${objectName}' object`);
      return;
    }
    const names = new Set(object.attributes.map((a) => a.name.toLowerCase()));
    mappings.forEach((m, i) => {
      if (!names.has(m.targetAttributeName.toLowerCase()))
        add(`${kind}Mappings/${i}`, `'${m.targetAttributeName}' is not an attribute of ${objectName}`);
    });
    for (const a of object.attributes.filter((x) => x.required)) {
      if (!mappings.some((m) => m.targetAttributeName.toLowerCase() === a.name.toLowerCase()))
        add(`${kind}Mappings`, `the required attribute '${a.name}' has no mapping`);
    }
    if (!mappings.some((m) => m.matchingPriority > 0)) add(`${kind}Mappings`, 'no matching attribute');
    const priorities = mappings.filter((m) => m.matchingPriority > 0).map((m) => m.matchingPriority);
    if (new Set(priorities).size !== priorities.length)
      add(`${kind}Mappings`, 'two matching attributes share a precedence');
  };
  if (!t.supportedFeatures.users) add('supportedFeatures/users', 'every template provisions users');
  checkMappings('user', t.userObjectName, t.defaultUserMappings);
  if (t.supportedFeatures.groups !== (t.defaultGroupMappings !== null))
    add('supportedFeatures/groups', 'group mappings must exist exactly when groups are supported');
  if (t.defaultGroupMappings) checkMappings('group', t.groupObjectName, t.defaultGroupMappings);
  if (t.supportedFeatures.groups && !t.supportedFeatures.patch)
    add('supportedFeatures/patch', 'groups need PATCH (memberships are PATCHed)');

  const roleMapping = t.defaultUserMappings.some((m) =>
    /AppRoleAssignment/i.test(m.source?.expression ?? ''),
  );
  if (t.supportedFeatures.roles !== roleMapping)
    add('supportedFeatures/roles', 'a roles mapping must exist exactly when roles are supported');
  if (t.supportedFeatures.roles && t.appRoles.length === 0)
    add('appRoles', 'roles are supported but none is defined');
  const roleIds = new Set<string>();
  const roleValues = new Set<string>();
  t.appRoles.forEach((r, i) => {
    if (!GUID.test(r.id)) add(`appRoles/${i}/id`, 'must be a GUID');
    if (roleIds.has(r.id)) add(`appRoles/${i}/id`, 'is used twice');
    roleIds.add(r.id);
    const value = (r.value ?? '').toLowerCase();
    if (roleValues.has(value)) add(`appRoles/${i}/value`, 'is used twice');
    roleValues.add(value);
    if (r.id === '00000000-0000-0000-0000-000000000000')
      add(`appRoles/${i}/id`, 'is the default access role, which every application has');
  });

  let from = 0;
  for (const section of TUTORIAL_SECTIONS) {
    const at = t.tutorial.indexOf(`\n## ${section}\n`, from);
    if (at < 0) add('tutorial', `the section '${section}' is missing or out of order`);
    else from = at;
  }
  return problems;
}
