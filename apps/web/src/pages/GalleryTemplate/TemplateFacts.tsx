import { makeStyles, tokens } from '@fluentui/react-components';
import { Checkmark16Regular, Dismiss16Regular } from '@fluentui/react-icons';
import type { ApplicationTemplate } from '@provisio/contracts';
import { InlineMarkdown } from '../../components/Markdown';
import { usePageStyles } from '../../components/page-styles';

const useStyles = makeStyles({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content minmax(0, 1fr)',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    margin: 0,
    '& dt': { color: tokens.colorNeutralForeground3 },
    '& dd': { margin: 0 },
  },
  features: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalL,
  },
  feature: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  yes: { color: tokens.colorPaletteGreenForeground1 },
  no: { color: tokens.colorNeutralForeground3 },
  roles: {
    borderCollapse: 'collapse',
    '& th, & td': {
      textAlign: 'left',
      padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM} ${tokens.spacingVerticalXS} 0`,
    },
  },
  quirks: {
    margin: 0,
    paddingLeft: tokens.spacingHorizontalL,
    '& code': { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  },
});

const FEATURES: { key: keyof ApplicationTemplate['supportedFeatures']; label: string }[] = [
  { key: 'users', label: 'Users' },
  { key: 'groups', label: 'Groups' },
  { key: 'patch', label: 'PATCH updates' },
  { key: 'roles', label: 'App roles' },
  { key: 'onDemand', label: 'Provision on demand' },
];

/** What a template's provisioning does: features, SCIM dialect, rate, matching, app roles, quirks. */
export function TemplateFacts({ template }: { template: ApplicationTemplate }) {
  const page = usePageStyles();
  const styles = useStyles();
  return (
    <>
      <section aria-labelledby="features">
        <h2 id="features" className={page.sectionTitle}>
          Supported provisioning features
        </h2>
        <ul className={styles.features}>
          {FEATURES.map((f) => {
            const on = template.supportedFeatures[f.key];
            return (
              <li key={f.key} className={styles.feature}>
                {on ? (
                  <Checkmark16Regular className={styles.yes} />
                ) : (
                  <Dismiss16Regular className={styles.no} />
                )}
                <span>
                  {f.label}
                  <span className="visually-hidden">{on ? ': supported' : ': not supported'}</span>
                </span>
              </li>
            );
          })}
        </ul>
      </section>
      <dl className={styles.facts}>
        <dt>Tenant URL</dt>
        <dd>
          <code>{template.scimDialect.tenantUrlFormat}</code>
        </dd>
        <dt>PATCH dialect</dt>
        <dd>
          {template.scimDialect.patchDialect === 'aadOptscim062020'
            ? 'RFC 7644 forms (add ?aadOptscim062020 to the Tenant URL)'
            : 'Entra default forms'}
        </dd>
        <dt>Matching attributes</dt>
        <dd>
          {template.matchingAttributes.user.join(', ')} (users)
          {template.matchingAttributes.group.length > 0
            ? `; ${template.matchingAttributes.group.join(', ')} (groups)`
            : ''}
        </dd>
        <dt>Sustained request rate</dt>
        <dd>about {template.requestsPerSecond} requests per second</dd>
      </dl>
      {template.scimDialect.quirks.length > 0 ? (
        <section aria-labelledby="quirks">
          <h2 id="quirks" className={page.sectionTitle}>
            Good to know
          </h2>
          <ul className={styles.quirks}>
            {template.scimDialect.quirks.map((q) => (
              <li key={q}>
                <InlineMarkdown text={q} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {template.appRoles.length > 0 ? (
        <section aria-labelledby="roles">
          <h2 id="roles" className={page.sectionTitle}>
            App roles
          </h2>
          <table className={styles.roles}>
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col">Value</th>
                <th scope="col">Description</th>
              </tr>
            </thead>
            <tbody>
              {template.appRoles.map((r) => (
                <tr key={r.id}>
                  <td>{r.displayName}</td>
                  <td>
                    <code>{r.value}</code>
                  </td>
                  <td>{r.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </>
  );
}
