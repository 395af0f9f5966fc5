import { useOutletContext } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { Markdown } from '../../components/Markdown';
import { usePageStyles } from '../../components/page-styles';
import { useApplicationTemplateQuery } from '../../data/application-templates/application-template-query';
import type { ServicePrincipal } from '@provisio/contracts';

/** Provisioning > Setup tutorial: the tutorial of the template the application was created from. */
export function SetupTutorialPage() {
  const page = usePageStyles();
  const app = useOutletContext<ServicePrincipal>();
  // Applications created before the gallery, or by POST /servicePrincipals, are non-gallery SCIM apps.
  const template = useApplicationTemplateQuery(app.applicationTemplateId ?? 'scim');
  return (
    <div className={page.body}>
      {template.isPending ? (
        <LoadingState label="Loading the setup tutorial…" />
      ) : template.isError ? (
        <ErrorState
          title="The setup tutorial could not be loaded"
          error={template.error}
          onRetry={() => void template.refetch()}
        />
      ) : template.data.tutorial.trim() === '' ? (
        <EmptyState title="No setup tutorial">This application's template has no tutorial.</EmptyState>
      ) : (
        <section aria-label="Setup tutorial">
          <Markdown source={template.data.tutorial} />
        </section>
      )}
    </div>
  );
}
