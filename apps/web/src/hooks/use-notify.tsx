import { Toast, ToastBody, ToastTitle, useToastController } from '@fluentui/react-components';
import { useMemo } from 'react';
import { errorMessage, isApiError } from '../api/client';

/** The one Toaster of the app (mounted by the shell); notifications appear top-right like the Azure portal's. */
export const TOASTER_ID = 'provisio-toaster';

export interface Notify {
  success(title: string, body?: string): void;
  /** Shows the server's message; the request id helps when reading the API's log. */
  error(title: string, error: unknown): void;
}

export function useNotify(): Notify {
  const { dispatchToast } = useToastController(TOASTER_ID);
  return useMemo<Notify>(
    () => ({
      success(title, body) {
        dispatchToast(
          <Toast>
            <ToastTitle>{title}</ToastTitle>
            {body ? <ToastBody>{body}</ToastBody> : null}
          </Toast>,
          { intent: 'success', timeout: 5000 },
        );
      },
      error(title, error) {
        const requestId = isApiError(error) ? error.requestId : null;
        dispatchToast(
          <Toast>
            <ToastTitle>{title}</ToastTitle>
            <ToastBody subtitle={requestId ? `Request ID: ${requestId}` : undefined}>
              {errorMessage(error)}
            </ToastBody>
          </Toast>,
          { intent: 'error', timeout: 10_000 },
        );
      },
    }),
    [dispatchToast],
  );
}
