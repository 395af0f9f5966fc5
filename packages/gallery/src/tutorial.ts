import type { AttributeMapping } from '@provisio/contracts';

/** The sections a setup tutorial must have, in order (headings of the markdown). */
export const TUTORIAL_SECTIONS = [
  'Prerequisites',
  'Find the Tenant URL and Secret Token',
  'Set up provisioning in Provisio',
  'Default attribute mappings',
  'What to expect in the first cycle',
  'Troubleshooting',
] as const;

/** What a template writes about its application; the steps in Provisio and the mapping tables are generated. */
export interface TutorialParts {
  prerequisites: string[];
  /** Where the Tenant URL and the token are found in the application (markdown paragraphs or a list). */
  credentials: string;
  /** Steps particular to this application, added after the common ones. */
  extraSteps?: string[];
  firstCycle: string;
  troubleshooting: { problem: string; fix: string }[];
}

interface TutorialSubject {
  displayName: string;
  scimDialect: { tenantUrlFormat: string; patchDialect: string; quirks: string[] };
  requestsPerSecond: number;
  userMappings: AttributeMapping[];
  groupMappings: AttributeMapping[] | null;
}

const sourceText = (m: AttributeMapping): string => {
  if (!m.source) return '(none)';
  if (m.source.type === 'Attribute') return `[${m.source.name ?? ''}]`;
  if (m.source.type === 'Constant') return `"${m.source.name ?? ''}"`;
  return m.source.expression ?? '';
};

/** A markdown table cell: pipes and backticks cannot break the table. */
const cell = (text: string): string => '`' + text.replace(/\|/g, '\\|').replace(/`/g, "'") + '`';

function mappingTable(mappings: AttributeMapping[]): string {
  const rows = mappings.map(
    (m) =>
      `| ${cell(sourceText(m))} | ${cell(m.targetAttributeName)} | ${m.matchingPriority > 0 ? `yes (${m.matchingPriority})` : ''} | ${m.flowType === 'ObjectAddOnly' ? 'Only during object creation' : 'Always'} |`,
  );
  return ['| Source | Target attribute | Matching | Apply |', '| --- | --- | --- | --- |', ...rows].join(
    '\n',
  );
}

/** The tutorial's markdown: the template's own parts with the common steps and generated mapping tables. */
export function renderTutorial(t: TutorialSubject, parts: TutorialParts): string {
  const steps = [
    `In Provisio, open **Enterprise applications**, choose **New application**, find **${t.displayName}** in the gallery and choose **Create**.`,
    'Open the new application and go to **Provisioning**. Set **Provisioning Mode** to **Automatic**.',
    `Under **Admin Credentials**, enter the **Tenant URL** (\`${t.scimDialect.tenantUrlFormat}\`)` +
      (t.scimDialect.patchDialect === 'aadOptscim062020'
        ? ' with `?aadOptscim062020` appended, so that PATCH requests use the RFC 7644 forms this application expects,'
        : '') +
      ' and the **Secret Token**, then choose **Test Connection**.',
    'Under **Mappings**, review the user mappings' +
      (t.groupMappings ? ' and the group mappings' : '') +
      '. Under **Settings**, enter a notification email and keep **Scope** on *Sync only assigned users and groups*.',
    'In **Users and groups**, assign the users' +
      (t.groupMappings ? ' and groups' : '') +
      ' who need an account.',
    ...(parts.extraSteps ?? []),
    'Set **Provisioning Status** to **On** and choose **Save**. Provisioning starts with an initial cycle.',
  ];
  const quirks =
    t.scimDialect.quirks.length > 0
      ? [
          '',
          'Behaviour of this application to keep in mind:',
          '',
          ...t.scimDialect.quirks.map((q) => `- ${q}`),
        ]
      : [];
  return [
    `# Configure ${t.displayName} for automatic provisioning`,
    '',
    `## ${TUTORIAL_SECTIONS[0]}`,
    '',
    ...parts.prerequisites.map((p) => `- ${p}`),
    '',
    `## ${TUTORIAL_SECTIONS[1]}`,
    '',
    parts.credentials,
    '',
    `## ${TUTORIAL_SECTIONS[2]}`,
    '',
    ...steps.map((s, i) => `${i + 1}. ${s}`),
    '',
    `## ${TUTORIAL_SECTIONS[3]}`,
    '',
    'Users:',
    '',
    mappingTable(t.userMappings),
    ...(t.groupMappings
      ? ['', 'Groups:', '', mappingTable(t.groupMappings)]
      : ['', `${t.displayName} has no groups: group provisioning is not available.`]),
    ...quirks,
    '',
    `## ${TUTORIAL_SECTIONS[4]}`,
    '',
    parts.firstCycle,
    '',
    `${t.displayName} is expected to sustain about ${t.requestsPerSecond} requests per second. When it answers 429, Provisio slows down and waits as long as its Retry-After header asks.`,
    '',
    `## ${TUTORIAL_SECTIONS[5]}`,
    '',
    ...parts.troubleshooting.map((p) => `- **${p.problem}** ${p.fix}`),
    '',
  ].join('\n');
}
