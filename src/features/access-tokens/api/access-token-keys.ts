/** The one query-key factory of the access-tokens feature: every key and invalidation goes through it. */
export const accessTokenKeys = {
  all: ['access-tokens'] as const,
  list: () => [...accessTokenKeys.all, 'list'] as const,
  limits: () => [...accessTokenKeys.all, 'limits'] as const,
};
