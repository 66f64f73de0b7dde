import type { ComponentType } from 'react';
import { lazyPart } from '../components/lazy-part';
import { paths } from '../lib/paths';
import { SettingsPage } from './routes/settings-page';

export interface Crumb {
  text: string;
  href: string;
}

/** A page, and what it tells the shell: its breadcrumbs, and its name for the document title. */
export interface PageRoute {
  path: string;
  Page: ComponentType;
  crumbs: Crumb[];
  title: string;
}

const settingsCrumb: Crumb = { text: 'My settings', href: paths.settings };

export const pageRoutes: PageRoute[] = [
  { path: paths.settings, Page: SettingsPage, crumbs: [settingsCrumb], title: 'My settings' },
  {
    path: paths.createToken,
    // Most visits never create a token: the form and its calendar load on demand.
    Page: lazyPart(() => import('./routes/create-token-page').then(({ CreateTokenPage }) => CreateTokenPage), { what: 'The Create PAT page' }),
    crumbs: [settingsCrumb, { text: 'Create PAT', href: paths.createToken }],
    title: 'Create PAT',
  },
  {
    path: paths.activity,
    // Not on the first page's path: the log and its table load when asked for.
    Page: lazyPart(() => import('./routes/activity-page').then(({ ActivityPage }) => ActivityPage), { what: 'The Activity page' }),
    crumbs: [settingsCrumb, { text: 'Activity', href: paths.activity }],
    title: 'Activity',
  },
  {
    path: paths.notifications,
    Page: lazyPart(() => import('./routes/notifications-page').then(({ NotificationsPage }) => NotificationsPage), { what: 'The Notifications page' }),
    crumbs: [settingsCrumb, { text: 'Notifications', href: paths.notifications }],
    title: 'Notifications',
  },
  {
    path: paths.confirmEmail,
    Page: lazyPart(() => import('./routes/confirm-email-page').then(({ ConfirmEmailPage }) => ConfirmEmailPage), { what: 'The confirmation page' }),
    crumbs: [settingsCrumb, { text: 'Notifications', href: paths.notifications }, { text: 'Confirm address', href: paths.confirmEmail }],
    title: 'Confirm your e-mail address',
  },
  {
    path: paths.admin,
    // Admins only: loaded when one asks for it.
    Page: lazyPart(() => import('./routes/admin-page').then(({ AdminPage }) => AdminPage), { what: 'The Admin page' }),
    crumbs: [{ text: 'Admin', href: paths.admin }],
    title: 'Admin',
  },
  {
    // After Create PAT, whose path this pattern would match too.
    path: paths.tokenDetailsPattern,
    Page: lazyPart(() => import('./routes/token-details-page').then(({ TokenDetailsPage }) => TokenDetailsPage), { what: 'The PAT details page' }),
    crumbs: [settingsCrumb, { text: 'PAT details', href: paths.settings }],
    title: 'PAT details',
  },
  {
    path: paths.repositories,
    // Not on the first page's path: loaded when asked for.
    Page: lazyPart(() => import('./routes/repositories-page').then(({ RepositoriesPage }) => RepositoriesPage), { what: 'The Git repositories page' }),
    crumbs: [{ text: 'Git repositories', href: paths.repositories }],
    title: 'Git repositories',
  },
];
