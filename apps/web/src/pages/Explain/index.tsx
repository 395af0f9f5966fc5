import {
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { History20Regular, Search20Regular } from '@fluentui/react-icons';
import { Link, useSearchParams } from 'react-router';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { usePageStyles } from '../../components/page-styles';
import { useGroupQuery } from '../../data/groups/group-query';
import { useProvisioningJobQuery } from '../../data/synchronization/jobs-query';
import { useUserQuery } from '../../data/users/user-query';
import { useApplication } from '../../hooks/use-application';
import { paths, type ExplainObjectType } from '../../paths';
import { ExplanationView } from './ExplanationView';
import { ObjectPicker } from './ObjectPicker';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  links: { display: 'flex', gap: tokens.spacingHorizontalL, flexWrap: 'wrap', alignItems: 'center' },
});

/** The display name of the object Explain is about; its id until (or unless) it loads. */
function useObjectName(objectId: string, type: ExplainObjectType): string {
  const user = useUserQuery(objectId, type === 'user');
  const group = useGroupQuery(type === 'group' ? objectId : '');
  const name = type === 'user' ? user.data?.displayName : group.data?.displayName;
  return name ?? objectId;
}

/**
 * Explain: in one sentence, whether the next cycle of the application's job will provision a user
 * or group, the reason and the fix, and every check behind the answer. Without `objectId` the page
 * offers a picker. Every role may read it.
 */
export function ExplainPage() {
  const page = usePageStyles();
  const styles = useStyles();
  const app = useApplication();
  const [searchParams, setSearchParams] = useSearchParams();
  const objectId = searchParams.get('objectId') ?? '';
  const type: ExplainObjectType = searchParams.get('objectType') === 'group' ? 'group' : 'user';
  const servicePrincipalId = app?.id ?? '';
  const job = useProvisioningJobQuery(servicePrincipalId);
  const name = useObjectName(objectId, type);
  if (!app) return null;

  const body = () => {
    if (!objectId)
      return (
        <ObjectPicker
          servicePrincipalId={app.id}
          type={type}
          onTypeChange={(next) => setSearchParams(next === 'group' ? { objectType: 'group' } : {})}
        />
      );
    if (job.isPending) return <LoadingState label="Loading provisioning…" />;
    if (job.isError)
      return (
        <ErrorState
          title="The provisioning configuration could not be loaded"
          error={job.error}
          onRetry={() => void job.refetch()}
        />
      );
    if (!job.data)
      return (
        <MessageBar intent="warning">
          <MessageBarBody>
            <MessageBarTitle>The next cycle will not provision {name}.</MessageBarTitle>
            Provisioning of {app.displayName} is not configured. Set it up on the{' '}
            <Link to={paths.application(app.id, 'provisioning')}>Provisioning</Link> page.
          </MessageBarBody>
        </MessageBar>
      );
    return (
      <>
        <ExplanationView
          servicePrincipalId={app.id}
          appName={app.displayName}
          jobId={job.data.id}
          objectId={objectId}
          name={name}
        />
        <div className={styles.links}>
          <Link to={paths.objectTimeline(objectId)}>
            <History20Regular aria-hidden style={{ verticalAlign: 'middle' }} /> Timeline of this object
          </Link>
          <Button
            appearance="subtle"
            icon={<Search20Regular />}
            onClick={() => setSearchParams(type === 'group' ? { objectType: 'group' } : {})}
          >
            Explain another {type}
          </Button>
        </div>
      </>
    );
  };

  return (
    <div className={page.body}>
      <div className={styles.root}>{body()}</div>
    </div>
  );
}
