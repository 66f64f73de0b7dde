import { isApiError } from '../../contract/api-client';

const seconds = (count: number) => `${count} ${count === 1 ? 'second' : 'seconds'}`;

/** An error as the console says it: the service's message, and when to try again if it said so. */
export function errorMessage(error: Error): string {
  if (isApiError(error, 'ThrottlingException')) {
    const base = error.message.replace(/[.\s]*$/, '.');
    return error.retryAfterSeconds === undefined ? `${base} Try again shortly.` : `${base} Try again in ${seconds(error.retryAfterSeconds)}.`;
  }
  return error.message;
}
