import type { PasswordChange } from '@provisio/contracts';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';

/** Changes the signed-in account's password; its other sessions end. Nothing cached changes. */
export function usePasswordChangeMutation() {
  const notify = useNotify();
  return useMutation({
    mutationFn: (body: PasswordChange) => api.post('/api/auth/password', body),
    onSuccess: () => notify.success('Password changed', 'Your other sessions have been signed out.'),
    onError: (error) => notify.error('Could not change the password', error),
  });
}
