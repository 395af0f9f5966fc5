import { makeStyles, tokens } from '@fluentui/react-components';
import { ChevronRight12Regular } from '@fluentui/react-icons';
import { Fragment, type ReactNode } from 'react';
import { Link } from 'react-router';

export interface Crumb {
  label: string;
  to: string;
}

const useStyles = makeStyles({
  root: { padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalXXL} ${tokens.spacingVerticalS}` },
  crumbs: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    fontSize: tokens.fontSizeBase200,
    marginBottom: tokens.spacingVerticalS,
    '& a': { color: tokens.colorBrandForegroundLink, textDecorationLine: 'none' },
    '& a:hover': { textDecorationLine: 'underline' },
  },
  separator: { color: tokens.colorNeutralForeground3, display: 'inline-flex' },
  titleRow: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
  // Page icons are the 20 px nav icons drawn larger, as the Azure portal's blade icons are.
  icon: {
    color: tokens.colorBrandForeground1,
    display: 'inline-flex',
    '& svg': { width: '32px', height: '32px' },
  },
  title: {
    margin: 0,
    fontSize: tokens.fontSizeBase600,
    lineHeight: tokens.lineHeightBase600,
    fontWeight: tokens.fontWeightSemibold,
  },
  subtitle: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

/** Breadcrumb, icon, title and subtitle at the top of a blade, as in the Azure portal. */
export function PageHeader({
  title,
  subtitle,
  icon,
  crumbs = [],
}: {
  title: string;
  subtitle?: string;
  icon?: ReactNode;
  crumbs?: Crumb[];
}) {
  const styles = useStyles();
  return (
    <header className={styles.root}>
      {crumbs.length > 0 ? (
        <nav aria-label="Breadcrumb" className={styles.crumbs}>
          {crumbs.map((crumb, index) => (
            <Fragment key={crumb.to}>
              {index > 0 ? (
                <span className={styles.separator} aria-hidden>
                  <ChevronRight12Regular />
                </span>
              ) : null}
              <Link to={crumb.to}>{crumb.label}</Link>
            </Fragment>
          ))}
        </nav>
      ) : null}
      <div className={styles.titleRow}>
        {icon ? (
          <span className={styles.icon} aria-hidden>
            {icon}
          </span>
        ) : null}
        <div>
          <h1 className={styles.title}>{title}</h1>
          {subtitle ? <div className={styles.subtitle}>{subtitle}</div> : null}
        </div>
      </div>
    </header>
  );
}
