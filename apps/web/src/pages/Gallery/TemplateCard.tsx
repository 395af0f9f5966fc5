import { Badge, makeStyles, tokens } from '@fluentui/react-components';
import { applicationTemplateCategories, type ApplicationTemplate } from '@provisio/contracts';
import { Link } from 'react-router';
import { paths } from '../../paths';

const useStyles = makeStyles({
  card: {
    display: 'grid',
    gridTemplateColumns: '48px minmax(0, 1fr)',
    gap: tokens.spacingHorizontalM,
    padding: tokens.spacingVerticalM,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    textDecorationLine: 'none',
    ':hover': { boxShadow: tokens.shadow8 },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}` },
  },
  logo: { width: '48px', height: '48px', borderRadius: tokens.borderRadiusMedium },
  name: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase300 },
  publisher: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  description: {
    margin: `${tokens.spacingVerticalXS} 0`,
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground2,
    display: '-webkit-box',
    WebkitLineClamp: '3',
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
  },
  badges: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
});

export const categoryLabel = (id: string): string =>
  applicationTemplateCategories.find((c) => c.id === id)?.label ?? id;

/** One template in the gallery: logo, name, publisher, a line of description, categories. */
export function TemplateCard({ template }: { template: ApplicationTemplate }) {
  const styles = useStyles();
  return (
    <Link to={paths.galleryTemplate(template.id)} className={styles.card} aria-label={template.displayName}>
      <img src={template.logoUrl} alt="" className={styles.logo} />
      <div>
        <div className={styles.name}>{template.displayName}</div>
        <div className={styles.publisher}>{template.publisher}</div>
        <p className={styles.description}>{template.description}</p>
        <div className={styles.badges}>
          {template.categories.map((c) => (
            <Badge key={c} appearance="tint" color="informative" size="small">
              {categoryLabel(c)}
            </Badge>
          ))}
          {template.supportedFeatures.users ? (
            <Badge appearance="outline" color="success" size="small">
              Provisioning
            </Badge>
          ) : null}
        </div>
      </div>
    </Link>
  );
}
