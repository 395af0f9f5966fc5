import type { TestNotificationResult } from '@provisio/contracts';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { synchronizationPaths } from './paths';

/** Settings → Send test email: one message to the saved Notification Email. Changes nothing. */
export function useTestNotificationMutation(servicePrincipalId: string) {
  const notify = useNotify();
  return useMutation({
    mutationFn: (jobId: string) =>
      api.post<TestNotificationResult>(
        `${synchronizationPaths.job(servicePrincipalId, jobId)}/sendTestNotification`,
      ),
    onSuccess: (result) => notify.success(`Test email sent to ${result.recipients.join(', ')}`),
    onError: (error) => notify.error('Could not send the test email', error),
  });
}
