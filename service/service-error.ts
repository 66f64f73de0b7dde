import { API_ERROR_STATUS, type ApiErrorName } from '../contract/access-tokens';

/** Errors of the HTTP layer, outside the model's operations, in the same shape. */
type HttpErrorName =
  | 'UnknownOperationException'
  | 'UnsupportedMediaTypeException'
  | 'RequestEntityTooLargeException'
  | 'RequestTimeoutException'
  | 'RequestHeaderFieldsTooLargeException'
  | 'BadRequestException'
  | 'ServiceUnavailableException';

/** Errors the server answers in AWS's shape: `x-amzn-errortype` and `{"message"}`. */
export class ServiceError extends Error {
  constructor(
    readonly errorType: ApiErrorName | HttpErrorName,
    message: string,
    readonly statusCode: number = API_ERROR_STATUS[errorType as ApiErrorName] ?? 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const validationError = (message: string) => new ServiceError('ValidationException', message);

export const unauthenticated = (message: string) =>
  new ServiceError('AccessDeniedException', message, 401, { 'www-authenticate': 'Bearer' });

export const throttled = (retryAfterSeconds: number, message = 'Rate exceeded.') =>
  new ServiceError('ThrottlingException', message, 429, { 'retry-after': String(retryAfterSeconds) });
