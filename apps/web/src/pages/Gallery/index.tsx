import {
  Field,
  makeStyles,
  SearchBox,
  Select,
  tokens,
  Toolbar,
  ToolbarButton,
} from '@fluentui/react-components';
import { Add20Regular, AppsAddIn20Regular } from '@fluentui/react-icons';
import { applicationTemplateCategories } from '@provisio/contracts';
import { useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { PageHeader } from '../../components/PageHeader';
import { ReadOnlyNote } from '../../components/ReadOnlyNote';
import { usePageStyles } from '../../components/page-styles';
import { useCan } from '../../data/auth/use-can';
import { useApplicationTemplatesQuery } from '../../data/application-templates/application-templates-query';
import { useSearchText } from '../../hooks/use-search-text';
import { paths } from '../../paths';
import { NewApplicationDialog } from '../Applications/NewApplicationDialog';
import { TemplateCard } from './TemplateCard';

const useStyles = makeStyles({
  filters: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalL, alignItems: 'flex-end' },
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(280px, 1fr))',
    gap: tokens.spacingHorizontalM,
    listStyleType: 'none',
    margin: 0,
    padding: 0,
  },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

/** New application: the gallery, searched and browsed by category, and "Create your own application". */
export function GalleryPage() {
  const page = usePageStyles();
  const styles = useStyles();
  const can = useCan();
  const search = useSearchText();
  const [category, setCategory] = useState('');
  const [creating, setCreating] = useState(false);
  const templates = useApplicationTemplatesQuery(search.debounced, category);
  const all = templates.data?.value ?? [];
  const ownTemplate = all.filter((t) => t.nonGallery);
  const gallery = all.filter((t) => !t.nonGallery);
  const narrowed = search.debounced.trim() !== '' || category !== '';

  return (
    <>
      <PageHeader
        title="Browse Provisio Gallery"
        icon={<AppsAddIn20Regular />}
        crumbs={[
          { label: 'Home', to: paths.home },
          { label: 'Enterprise applications', to: paths.applications },
        ]}
      />
      <Toolbar aria-label="Gallery commands" className={page.commandBar}>
        {can.manage ? (
          <ToolbarButton icon={<Add20Regular />} onClick={() => setCreating(true)}>
            Create your own application
          </ToolbarButton>
        ) : null}
      </Toolbar>
      <div className={page.body}>
        <ReadOnlyNote />
        <p className={page.intro}>
          Find the application you want to provision users to. Each gallery application comes with its
          attribute mappings, its app roles and a setup tutorial. For an application that is not here, create
          your own and enter its SCIM 2.0 endpoint.
        </p>
        <div className={styles.filters}>
          <Field label="Search application" className={page.search}>
            <SearchBox
              value={search.text}
              placeholder="Search by name, publisher or category"
              onChange={(_e, data) => search.setText(data.value)}
            />
          </Field>
          <Field label="Category">
            <Select value={category} onChange={(_e, data) => setCategory(data.value)}>
              <option value="">All categories</option>
              {applicationTemplateCategories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        {templates.isPending ? (
          <LoadingState label="Loading the gallery…" />
        ) : templates.isError ? (
          <ErrorState
            title="The gallery could not be loaded"
            error={templates.error}
            onRetry={() => void templates.refetch()}
          />
        ) : all.length === 0 ? (
          <EmptyState title={narrowed ? 'No application matches' : 'The gallery is empty'}>
            {narrowed
              ? 'Check the spelling, pick another category, or create your own application for any SCIM 2.0 endpoint.'
              : 'Create your own application for any SCIM 2.0 endpoint.'}
          </EmptyState>
        ) : (
          <>
            {gallery.length > 0 ? (
              <section className={styles.section} aria-labelledby="gallery-apps">
                <h2 id="gallery-apps" className={page.sectionTitle}>
                  {narrowed
                    ? `Applications found (${gallery.length})`
                    : `Gallery applications (${gallery.length})`}
                </h2>
                <ul className={styles.grid} aria-label="Gallery applications">
                  {gallery.map((t) => (
                    <li key={t.id}>
                      <TemplateCard template={t} />
                    </li>
                  ))}
                </ul>
              </section>
            ) : null}
            {ownTemplate.length > 0 ? (
              <section className={styles.section} aria-labelledby="own-apps">
                <h2 id="own-apps" className={page.sectionTitle}>
                  Not in the gallery
                </h2>
                <ul className={styles.grid} aria-label="Non-gallery applications">
                  {ownTemplate.map((t) => (
                    <li key={t.id}>
                      <TemplateCard template={t} />
                    </li>
                  ))}
                </ul>
              </section>
            ) : null}
          </>
        )}
      </div>
      {can.manage ? <NewApplicationDialog open={creating} onClose={() => setCreating(false)} /> : null}
    </>
  );
}
