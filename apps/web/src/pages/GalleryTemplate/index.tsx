import { makeStyles, tokens } from '@fluentui/react-components';
import { AppsAddIn20Regular } from '@fluentui/react-icons';
import { useParams } from 'react-router';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { Markdown } from '../../components/Markdown';
import { PageHeader } from '../../components/PageHeader';
import { ReadOnlyNote } from '../../components/ReadOnlyNote';
import { usePageStyles } from '../../components/page-styles';
import { useCan } from '../../data/auth/use-can';
import { useApplicationTemplateQuery } from '../../data/application-templates/application-template-query';
import { paths } from '../../paths';
import { categoryLabel } from '../Gallery/TemplateCard';
import { CreateFromTemplate } from './CreateFromTemplate';
import { TemplateFacts } from './TemplateFacts';

const useStyles = makeStyles({
  layout: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) 320px',
    gap: tokens.spacingHorizontalXXL,
    alignItems: 'start',
    '@media (max-width: 900px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  main: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  identity: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center' },
  logo: { width: '64px', height: '64px', borderRadius: tokens.borderRadiusMedium },
  tutorial: {
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    paddingTop: tokens.spacingVerticalM,
  },
});

/** One gallery template: what it provisions, its setup tutorial, and Create. */
export function GalleryTemplatePage() {
  const page = usePageStyles();
  const styles = useStyles();
  const can = useCan();
  const { templateId = '' } = useParams();
  const template = useApplicationTemplateQuery(templateId);
  const crumbs = [
    { label: 'Home', to: paths.home },
    { label: 'Enterprise applications', to: paths.applications },
    { label: 'Browse Provisio Gallery', to: paths.gallery },
  ];

  if (template.isPending) return <LoadingState label="Loading the application…" />;
  if (template.isError) {
    return (
      <>
        <PageHeader title="Gallery application" icon={<AppsAddIn20Regular />} crumbs={crumbs} />
        <div className={page.body}>
          <ErrorState
            title="This gallery application could not be loaded"
            error={template.error}
            onRetry={() => void template.refetch()}
          />
        </div>
      </>
    );
  }
  const t = template.data;
  return (
    <>
      <PageHeader
        title={t.displayName}
        subtitle={`${t.publisher} · ${t.categories.map(categoryLabel).join(', ')}`}
        icon={<AppsAddIn20Regular />}
        crumbs={crumbs}
      />
      <div className={page.body}>
        <ReadOnlyNote />
        <div className={styles.layout}>
          <div className={styles.main}>
            <div className={styles.identity}>
              <img src={t.logoUrl} alt={`${t.displayName} logo`} className={styles.logo} />
              <p className={page.intro}>{t.description}</p>
            </div>
            <TemplateFacts template={t} />
            <section aria-label="Setup tutorial" className={styles.tutorial}>
              <Markdown source={t.tutorial} headingOffset={1} />
            </section>
          </div>
          {can.manage ? <CreateFromTemplate template={t} /> : null}
        </div>
      </div>
    </>
  );
}
