import { applicationTemplateCategories } from '@provisio/contracts';
import { describe, expect, it } from 'vitest';
import {
  applicationTemplates,
  findApplicationTemplate,
  findSynchronizationTemplate,
  searchTemplates,
  validateTemplate,
} from './templates';
import { TUTORIAL_SECTIONS } from './tutorial';
import { defaultScimSchema } from './scim-schema';

describe('gallery templates', () => {
  it.each(applicationTemplates.map((t) => [t.id, t] as const))(
    '%s validates against the template schema',
    (_id, t) => {
      expect(validateTemplate(t)).toEqual([]);
    },
  );

  it('has the non-gallery SCIM template, the sample app and one template per required kind of application', () => {
    expect(applicationTemplates.length).toBeGreaterThanOrEqual(12);
    expect(findApplicationTemplate('scim')?.nonGallery).toBe(true);
    expect(findApplicationTemplate('provisio-sample-app')).toBeDefined();
    const kinds = [
      'developerServices',
      'communication',
      'contentManagement',
      'itServiceManagement',
      'humanResources',
      'security',
      'design',
      'crm',
      'education',
    ];
    for (const kind of kinds)
      expect(applicationTemplates.some((t) => !t.nonGallery && t.categories.includes(kind as never))).toBe(
        true,
      );
    // The chat and the video-conference applications are both communication.
    expect(searchTemplates('chat').map((t) => t.id)).toEqual(['slack']);
    expect(searchTemplates('video conferencing').map((t) => t.id)).toEqual(['zoom']);
  });

  it('keeps ids unique, and the job path of the scim template unchanged', () => {
    expect(new Set(applicationTemplates.map((t) => t.id)).size).toBe(applicationTemplates.length);
    expect(new Set(applicationTemplates.map((t) => t.synchronizationTemplateId)).size).toBe(
      applicationTemplates.length,
    );
    expect(findSynchronizationTemplate('scim')?.defaultSchema('scim.x')).toEqual(defaultScimSchema('scim.x'));
    expect(findSynchronizationTemplate('slack')?.id).toBe('slack');
    expect(findSynchronizationTemplate('nope')).toBeUndefined();
  });

  it('uses known categories only', () => {
    const known = new Set<string>(applicationTemplateCategories.map((c) => c.id));
    for (const t of applicationTemplates) for (const c of t.categories) expect(known.has(c)).toBe(true);
  });

  it('finds templates by every word of a search, case-insensitively', () => {
    expect(searchTemplates('SLACK').map((t) => t.id)).toEqual(['slack']);
    expect(searchTemplates('crm').map((t) => t.id)).toEqual(['salesforce']);
    expect(searchTemplates('').length).toBe(applicationTemplates.length);
    expect(searchTemplates('zoom groups nothing-like-this')).toEqual([]);
  });

  it('reports what is wrong with a broken template, by field', () => {
    const slack = findApplicationTemplate('slack')!;
    const broken = {
      ...slack,
      categories: [],
      appRoles: [
        { id: 'not-a-guid', displayName: 'X', value: 'x', description: '', allowedMemberTypes: ['User'] },
      ],
      defaultUserMappings: slack.defaultUserMappings
        .map((m) => ({ ...m, matchingPriority: 0 }))
        .concat({
          ...slack.defaultUserMappings[0]!,
          targetAttributeName: 'shoeSize',
          matchingPriority: 0,
        }),
      tutorial: slack.tutorial.replace('## Troubleshooting', '## Help'),
    };
    const paths = validateTemplate(broken).map((p) => `${p.path}: ${p.message}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'categories: name at least one category',
        'appRoles/0/id: must be a GUID',
        expect.stringMatching(/^userMappings\/\d+: 'shoeSize' is not an attribute/),
        'userMappings: no matching attribute',
        "tutorial: the section 'Troubleshooting' is missing or out of order",
      ]),
    );
  });

  it('writes every tutorial section in order, with the mapping table generated from the mappings', () => {
    const zoom = findApplicationTemplate('zoom')!;
    for (const s of TUTORIAL_SECTIONS) expect(zoom.tutorial).toContain(`## ${s}`);
    expect(zoom.tutorial).toContain('| `[userPrincipalName]` | `userName` | yes (1) | Always |');
    expect(zoom.tutorial).toContain('Zoom has no groups: group provisioning is not available.');
    expect(findApplicationTemplate('lattice')!.tutorial).toContain('`?aadOptscim062020`');
  });
});
