import type { BulkOperationKind } from '@provisio/contracts';
import { GRAPH } from '../../api/client';

export const bulkOperationPaths = {
  operations: `${GRAPH}/directory/bulkOperations`,
  operation: (id: string) => `${GRAPH}/directory/bulkOperations/${encodeURIComponent(id)}`,
  results: (id: string) => `${GRAPH}/directory/bulkOperations/${encodeURIComponent(id)}/results`,
  /** A plain link: the browser downloads the file (the session cookie goes with it). */
  template: (kind: BulkOperationKind) => `${GRAPH}/directory/bulkOperations/template?kind=${kind}`,
};
