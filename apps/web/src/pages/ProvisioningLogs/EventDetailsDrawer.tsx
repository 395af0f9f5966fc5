import {
  Button,
  DrawerBody,
  DrawerHeader,
  DrawerHeaderTitle,
  OverlayDrawer,
  Tab,
  TabList,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { Dismiss20Regular, History20Regular, QuestionCircle20Regular } from '@fluentui/react-icons';
import type { ProvisioningObjectSummary } from '@provisio/contracts';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { ResultIcon } from '../../components/ResultIcon';
import { useProvisioningLogQuery } from '../../data/provisioning-logs/provisioning-log-query';
import { formatDateTime } from '../../lib/format';
import { paths } from '../../paths';
import { ACTION_LABEL } from './labels';
import { ModifiedPropertiesTab } from './ModifiedPropertiesTab';
import { StepsTab } from './StepsTab';
import { SummaryTab } from './SummaryTab';
import { TroubleshootingTab } from './TroubleshootingTab';
import { useReturnFocus } from '../../hooks/use-return-focus';

const useStyles = makeStyles({
  intro: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    marginBottom: tokens.spacingVerticalM,
  },
  why: {
    display: 'flex',
    gap: tokens.spacingHorizontalL,
    flexWrap: 'wrap',
    alignItems: 'center',
    '& svg': { verticalAlign: 'middle', marginRight: tokens.spacingHorizontalXXS },
  },
  tabs: { marginBottom: tokens.spacingVerticalM, flexWrap: 'wrap' },
  meta: {
    color: tokens.colorNeutralForeground3,
    display: 'flex',
    gap: tokens.spacingHorizontalM,
    flexWrap: 'wrap',
    alignItems: 'center',
  },
});

type TabKey = 'steps' | 'troubleshooting' | 'modified' | 'summary';
const TABS: { key: TabKey; label: string }[] = [
  { key: 'steps', label: 'Steps' },
  { key: 'troubleshooting', label: 'Troubleshooting & Recommendations' },
  { key: 'modified', label: 'Modified Properties' },
  { key: 'summary', label: 'Summary' },
];

/** "Why?": Explain the event's source object in its application now, and the object's timeline. */
function WhyLinks({ event }: { event: ProvisioningObjectSummary }) {
  const styles = useStyles();
  const objectId = event.sourceIdentity.id;
  if (!objectId) return null;
  const type = event.sourceIdentity.identityType.toLowerCase() === 'group' ? 'group' : 'user';
  return (
    <nav className={styles.why} aria-label="Why?">
      <Text weight="semibold">Why?</Text>
      <Link to={paths.explain(event.servicePrincipal.id, { id: objectId, type })}>
        <QuestionCircle20Regular aria-hidden />
        Explain
      </Link>
      <Link to={paths.objectTimeline(objectId)}>
        <History20Regular aria-hidden />
        Timeline of this object
      </Link>
    </nav>
  );
}

export const EVENT_DRAWER_TITLE = 'Provisioning event details';

/** The details pane of one provisioning event, opened from a row of the log. */
export function EventDetailsDrawer({
  eventId,
  fromList,
  onClose,
}: {
  eventId: string | null;
  fromList: ProvisioningObjectSummary | undefined;
  onClose: () => void;
}) {
  const styles = useStyles();
  useReturnFocus(eventId !== null);
  const titleId = useId();
  const baseId = useId();
  // Each event opens on Steps, as in Entra; the tab chosen for one event doesn't carry to the next.
  const [chosen, setChosen] = useState<{ eventId: string | null; tab: TabKey } | null>(null);
  const event = useProvisioningLogQuery(eventId, fromList);
  const data = event.data;
  const tab: TabKey = chosen && chosen.eventId === eventId ? chosen.tab : 'steps';

  return (
    <OverlayDrawer
      open={eventId !== null}
      position="end"
      size="large"
      aria-labelledby={titleId}
      onOpenChange={(_e, d) => (d.open ? undefined : onClose())}
    >
      <DrawerHeader>
        <DrawerHeaderTitle
          heading={{ id: titleId }}
          action={
            <Button appearance="subtle" aria-label="Close" icon={<Dismiss20Regular />} onClick={onClose} />
          }
        >
          {EVENT_DRAWER_TITLE}
        </DrawerHeaderTitle>
      </DrawerHeader>
      <DrawerBody>
        {!eventId ? null : event.isPending ? (
          <LoadingState label="Loading the event…" />
        ) : event.isError ? (
          <ErrorState
            title="The event could not be loaded"
            error={event.error}
            onRetry={() => void event.refetch()}
          />
        ) : data ? (
          <>
            <div className={styles.intro}>
              <Text weight="semibold" size={400}>
                {data.sourceIdentity.displayName || data.targetIdentity.displayName || data.sourceIdentity.id}
              </Text>
              <div className={styles.meta}>
                <span>{ACTION_LABEL[data.provisioningAction]}</span>
                <ResultIcon result={data.provisioningStatusInfo.status} />
                <span>{formatDateTime(data.activityDateTime)}</span>
                <span>
                  {data.sourceSystem.displayName} → {data.targetSystem.displayName}
                </span>
              </div>
              <WhyLinks event={data} />
            </div>
            <TabList
              className={styles.tabs}
              selectedValue={tab}
              onTabSelect={(_e, d) => setChosen({ eventId, tab: d.value as TabKey })}
              aria-label="Event details"
            >
              {TABS.map((t) => (
                <Tab
                  key={t.key}
                  value={t.key}
                  id={`${baseId}-${t.key}`}
                  aria-controls={`${baseId}-${t.key}-panel`}
                >
                  {t.label}
                </Tab>
              ))}
            </TabList>
            <div role="tabpanel" id={`${baseId}-${tab}-panel`} aria-labelledby={`${baseId}-${tab}`}>
              {tab === 'steps' ? <StepsTab steps={data.provisioningSteps} /> : null}
              {tab === 'troubleshooting' ? <TroubleshootingTab event={data} /> : null}
              {tab === 'modified' ? <ModifiedPropertiesTab properties={data.modifiedProperties} /> : null}
              {tab === 'summary' ? <SummaryTab event={data} /> : null}
            </div>
          </>
        ) : null}
      </DrawerBody>
    </OverlayDrawer>
  );
}
