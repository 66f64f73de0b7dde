/** The console's routes, known to features for links without depending on the app's router setup. */
export const paths = {
  home: '/',
  settings: '/settings',
  createToken: '/settings/tokens/create',
  repositories: '/repositories',
} as const;
