import type { ParseExpressionRequest, ParseExpressionResponse } from '@provisio/contracts';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { synchronizationPaths } from './paths';

/**
 * Test expression in the expression builder (Graph's `parseExpression`). It changes nothing on
 * the server, so nothing is invalidated; parse and evaluation errors come back in the answer.
 */
export function useExpressionParseMutation(servicePrincipalId: string, jobId: string) {
  const notify = useNotify();
  return useMutation({
    mutationFn: (request: ParseExpressionRequest) =>
      api.post<ParseExpressionResponse>(
        `${synchronizationPaths.schema(servicePrincipalId, jobId)}/parseExpression`,
        request,
      ),
    onError: (error) => notify.error('The expression could not be tested', error),
  });
}
