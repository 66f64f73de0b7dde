/** The console's routes, known to features for links without depending on the app's router setup. */
export const paths = {
  home: '/',
  settings: '/settings',
  createToken: '/settings/tokens/create',
  tokenDetails: (id: string) => `/settings/tokens/${encodeURIComponent(id)}`,
  tokenDetailsPattern: '/settings/tokens/:id',
  activity: '/settings/activity',
  repositories: '/repositories',
} as const;
