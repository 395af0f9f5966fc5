import { MessageBar, MessageBarBody } from '@fluentui/react-components';
import { ROLE_LABEL, useCan } from '../data/auth/use-can';

/**
 * Says why a page has no commands for a role that may read it but not change it; renders
 * nothing for a role that may change it.
 */
export function ReadOnlyNote() {
  const can = useCan();
  if (can.manage || !can.role) return null;
  return (
    <MessageBar intent="info">
      <MessageBarBody>
        Your role ({ROLE_LABEL[can.role]}) can read this page but not change it.
      </MessageBarBody>
    </MessageBar>
  );
}
