import {
  Button,
  DrawerBody,
  DrawerHeader,
  DrawerHeaderTitle,
  OverlayDrawer,
  Tab,
  TabList,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { Dismiss20Regular } from '@fluentui/react-icons';
import type { DirectoryAudit } from '@provisio/contracts';
import { useId, useState } from 'react';
import { AUDIT_CATEGORIES } from '../../data/audit-logs/audit-filter';
import { formatDateTime } from '../../lib/format';
import { initiatorName } from './initiator';
import { useReturnFocus } from '../../hooks/use-return-focus';

const useStyles = makeStyles({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'minmax(160px, max-content) 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXXS,
    margin: 0,
    '& dt': { color: tokens.colorNeutralForeground3 },
    '& dd': { margin: 0, wordBreak: 'break-word' },
  },
  tabs: { marginBottom: tokens.spacingVerticalM },
  heading: {
    margin: `${tokens.spacingVerticalM} 0 ${tokens.spacingVerticalXS}`,
    fontSize: tokens.fontSizeBase300,
    fontWeight: tokens.fontWeightSemibold,
  },
  value: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-word' },
});

type TabKey = 'activity' | 'targets' | 'modified';

export const AUDIT_DRAWER_TITLE = 'Audit event details';

/** The details of one audit event: Activity, Target(s), Modified Properties. */
export function AuditEventDrawer({
  event,
  onClose,
}: {
  event: DirectoryAudit | undefined;
  onClose: () => void;
}) {
  const styles = useStyles();
  useReturnFocus(Boolean(event));
  const titleId = useId();
  const baseId = useId();
  const [chosen, setChosen] = useState<{ id: string | undefined; tab: TabKey } | null>(null);
  const tab: TabKey = chosen && chosen.id === event?.id ? chosen.tab : 'activity';
  const modified =
    event?.targetResources.flatMap((t) =>
      t.modifiedProperties.map((p) => ({ ...p, target: t.displayName })),
    ) ?? [];

  return (
    <OverlayDrawer
      open={Boolean(event)}
      position="end"
      size="medium"
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
          {AUDIT_DRAWER_TITLE}
        </DrawerHeaderTitle>
      </DrawerHeader>
      <DrawerBody>
        {event ? (
          <>
            <TabList
              className={styles.tabs}
              selectedValue={tab}
              onTabSelect={(_e, d) => setChosen({ id: event.id, tab: d.value as TabKey })}
              aria-label="Audit event details"
            >
              <Tab value="activity" id={`${baseId}-activity`}>
                Activity
              </Tab>
              <Tab value="targets" id={`${baseId}-targets`}>
                Target(s)
              </Tab>
              <Tab value="modified" id={`${baseId}-modified`}>
                Modified Properties
              </Tab>
            </TabList>
            <div role="tabpanel" aria-labelledby={`${baseId}-${tab}`}>
              {tab === 'activity' ? (
                <dl className={styles.facts}>
                  <dt>Date</dt>
                  <dd>{formatDateTime(event.activityDateTime)}</dd>
                  <dt>Activity</dt>
                  <dd>{event.activityDisplayName}</dd>
                  <dt>Activity type</dt>
                  <dd>{event.operationType}</dd>
                  <dt>Category</dt>
                  <dd>{AUDIT_CATEGORIES.find((c) => c.key === event.category)?.label ?? event.category}</dd>
                  <dt>Service</dt>
                  <dd>{event.loggedByService}</dd>
                  <dt>Status</dt>
                  <dd>{event.result === 'success' ? 'Success' : 'Failure'}</dd>
                  <dt>Status reason</dt>
                  <dd>{event.resultReason || '—'}</dd>
                  <dt>Initiated by</dt>
                  <dd>{initiatorName(event)}</dd>
                  <dt>Correlation ID</dt>
                  <dd>{event.correlationId}</dd>
                  <dt>ID</dt>
                  <dd>{event.id}</dd>
                  {event.additionalDetails.map((d) => (
                    <div key={d.key} style={{ display: 'contents' }}>
                      <dt>{d.key}</dt>
                      <dd>{d.value}</dd>
                    </div>
                  ))}
                </dl>
              ) : null}
              {tab === 'targets' ? (
                event.targetResources.length === 0 ? (
                  <Text>This event names no target.</Text>
                ) : (
                  event.targetResources.map((t) => (
                    <div key={t.id}>
                      <h3 className={styles.heading}>{t.displayName}</h3>
                      <dl className={styles.facts}>
                        <dt>Type</dt>
                        <dd>{t.type}</dd>
                        <dt>ID</dt>
                        <dd>{t.id}</dd>
                      </dl>
                    </div>
                  ))
                )
              ) : null}
              {tab === 'modified' ? (
                modified.length === 0 ? (
                  <Text>No properties were modified by this event.</Text>
                ) : (
                  <Table aria-label="Modified properties" size="small">
                    <TableHeader>
                      <TableRow>
                        <TableHeaderCell>Property</TableHeaderCell>
                        <TableHeaderCell>Old value</TableHeaderCell>
                        <TableHeaderCell>New value</TableHeaderCell>
                      </TableRow>
                    </TableHeader>
                    <TableBody>
                      {modified.map((p) => (
                        <TableRow key={`${p.target}-${p.displayName}`}>
                          <TableCell>{p.displayName}</TableCell>
                          <TableCell className={styles.value}>{p.oldValue ?? ''}</TableCell>
                          <TableCell className={styles.value}>{p.newValue ?? ''}</TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                )
              ) : null}
            </div>
          </>
        ) : null}
      </DrawerBody>
    </OverlayDrawer>
  );
}
