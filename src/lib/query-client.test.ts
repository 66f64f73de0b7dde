import { describe, expect, it } from 'vitest';
import { ApiError } from '../../contract/api-client';
import { createQueryClient } from './query-client';

const retry = createQueryClient().getDefaultOptions().queries?.retry as (count: number, error: unknown) => boolean;

describe('the query client', () => {
  it('retries network faults, throttling and server errors, twice at most', () => {
    expect(retry(0, new ApiError('NetworkError', '', 0))).toBe(true);
    expect(retry(1, new ApiError('ThrottlingException', '', 429))).toBe(true);
    expect(retry(0, new ApiError('InternalServerException', '', 500))).toBe(true);
    expect(retry(2, new ApiError('NetworkError', '', 0))).toBe(false);
  });

  it('does not retry a request the service refused', () => {
    expect(retry(0, new ApiError('ValidationException', '', 400))).toBe(false);
    expect(retry(0, new ApiError('AccessDeniedException', '', 403))).toBe(false);
  });
});
