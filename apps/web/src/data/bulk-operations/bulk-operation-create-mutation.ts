import type { BulkOperation, BulkOperationKind, ErrorBody } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { bulkOperationKeys } from './keys';
import { bulkOperationPaths } from './paths';

/**
 * Sends the chosen file as it is (`text/csv`), which the API streams to disk: the portal never
 * reads a large file into memory.
 */
async function uploadCsv(kind: BulkOperationKind, file: File): Promise<BulkOperation> {
  const query = new URLSearchParams({ kind, fileName: file.name.slice(0, 255) || 'upload.csv' });
  const response = await fetch(`${bulkOperationPaths.operations}?${query.toString()}`, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'text/csv' },
    credentials: 'same-origin',
    body: file,
  });
  const payload: unknown = await response.json().catch(() => null);
  if (response.ok) return payload as BulkOperation;
  const error = (payload as Partial<ErrorBody> | null)?.error;
  throw new ApiError(
    response.status,
    error?.code ?? `http.${response.status}`,
    error?.message ?? `The server answered ${response.status} ${response.statusText}.`,
    error?.requestId ?? null,
    error?.details,
  );
}

/** Starts a bulk operation; the new operation is cached and the list of operations read again. */
export function useBulkOperationCreateMutation() {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: ({ kind, file }: { kind: BulkOperationKind; file: File }) => uploadCsv(kind, file),
    onSuccess: async (operation) => {
      queryClient.setQueryData(bulkOperationKeys.detail(operation.id), operation);
      await queryClient.invalidateQueries({ queryKey: bulkOperationKeys.lists() });
    },
    onError: (error) => notify.error('Could not start the bulk operation', error),
  });
}
