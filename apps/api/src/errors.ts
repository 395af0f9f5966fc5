import type { ErrorBody } from '@provisio/contracts';

export interface ErrorDetail {
  code: string;
  message: string;
  target?: string;
  /** Problems inside an attribute mapping name it; expression problems carry their position. */
  objectMappingName?: string;
  targetAttributeName?: string;
  start?: number;
  end?: number;
  line?: number;
  column?: number;
  hint?: string;
}

/**
 * An error a service raises on purpose: a stable `<entity>.<reason>` code, the
 * HTTP status it answers with and a message that says what happened and how to
 * fix it. The error handler turns it into Graph's error envelope.
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: ErrorDetail[],
    /** Extra response headers, e.g. Retry-After on 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** A 400 about one field of the request, e.g. `invalidField('body/principalId', '…')`. */
export function invalidField(target: string, message: string, code = 'request.invalid'): AppError {
  return new AppError(code, 400, message, [{ code, message, target }]);
}

export function errorBody(
  code: string,
  message: string,
  requestId: string,
  details?: ErrorDetail[],
): ErrorBody {
  return { error: { code, message, ...(details && details.length > 0 ? { details } : {}), requestId } };
}
