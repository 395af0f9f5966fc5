import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { ProvisioningObjectSummary, ProvisioningStep, ProvisioningStepType } from '@provisio/contracts';
import { RESULT_LABEL, ResultIcon } from '../../components/ResultIcon';
import { ModifiedPropertiesTab } from '../ProvisioningLogs/ModifiedPropertiesTab';
import { StepDetails } from '../ProvisioningLogs/StepDetails';

/** The step titles of Entra's Provision on demand page, for a user or a group. */
export function onDemandStepTitle(type: ProvisioningStepType, objectType: string): string {
  const noun = objectType === 'Group' ? 'group' : 'user';
  switch (type) {
    case 'import':
      return `Import ${noun}`;
    case 'scoping':
      return `Determine if ${noun} is in scope`;
    case 'matching':
      return `Match ${noun} between source and target system`;
    case 'processing':
      return `Evaluate ${noun} before synchronization`;
    case 'referenceResolution':
      return 'Resolve references';
    case 'export':
      return 'Perform action';
  }
}

const useStyles = makeStyles({
  step: {
    borderLeft: `2px solid ${tokens.colorNeutralStroke2}`,
    paddingLeft: tokens.spacingHorizontalM,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
  },
  head: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    margin: 0,
    fontSize: tokens.fontSizeBase300,
    fontWeight: tokens.fontWeightSemibold,
  },
  status: { color: tokens.colorNeutralForeground3, fontWeight: tokens.fontWeightRegular },
  description: { margin: 0 },
});

/**
 * One step of a provision-on-demand result: its title and outcome, what happened, "View details"
 * (the step's details; for Perform action the attributes modified, old → new) and, on the step
 * that skipped or failed, the reason and the recommended action.
 */
export function StepResult({
  step,
  index,
  event,
}: {
  step: ProvisioningStep;
  index: number;
  event: ProvisioningObjectSummary;
}) {
  const styles = useStyles();
  const hasDetails = Object.keys(step.details).length > 0;
  const title = `${index + 1}. ${onDemandStepTitle(step.provisioningStepType, event.sourceIdentity.identityType)}`;
  const info = event.provisioningStatusInfo.errorInformation;
  const explains = step.status === 'skipped' || step.status === 'failure';
  const showsProperties = step.provisioningStepType === 'export' && event.modifiedProperties.length > 0;
  return (
    <li className={styles.step} aria-label={title}>
      <h3 className={styles.head}>
        <ResultIcon result={step.status} showLabel={false} />
        {title}
        <span className={styles.status}>— {RESULT_LABEL[step.status]}</span>
      </h3>
      <p className={styles.description}>{step.description}</p>
      {explains && info ? (
        <MessageBar intent={step.status === 'failure' ? 'error' : 'warning'} layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>
              {step.status === 'failure' ? 'Failure' : 'Skipped'}: {info.errorCode}
            </MessageBarTitle>
            {info.reason}
            {info.additionalDetails ? ` ${info.additionalDetails}` : ''}
            {info.recommendedAction ? (
              <>
                <br />
                <strong>Recommended action:</strong> {info.recommendedAction}
              </>
            ) : null}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {hasDetails || showsProperties ? (
        <Accordion collapsible>
          <AccordionItem value="details">
            <AccordionHeader size="small">View details</AccordionHeader>
            <AccordionPanel>
              <StepDetails step={step} index={index} />
              {showsProperties ? <ModifiedPropertiesTab properties={event.modifiedProperties} /> : null}
            </AccordionPanel>
          </AccordionItem>
        </Accordion>
      ) : null}
    </li>
  );
}
