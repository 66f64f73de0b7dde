import { CONSOLE_PAGES } from '../../contract/access-tokens';

/**
 * The console's routes, known to features for links without depending on the app's router setup;
 * those a notice links to are the contract's.
 */
export const paths = {
  home: '/',
  settings: '/settings',
  createToken: CONSOLE_PAGES.createToken,
  tokenDetails: CONSOLE_PAGES.tokenDetails,
  tokenDetailsPattern: '/settings/tokens/:id',
  activity: '/settings/activity',
  repositories: '/repositories',
  notifications: CONSOLE_PAGES.notifications,
  confirmEmail: CONSOLE_PAGES.confirmEmailPage,
  admin: '/admin',
} as const;
