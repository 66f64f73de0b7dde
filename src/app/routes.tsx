import { lazy, type ComponentType } from 'react';
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
    Page: lazy(() => import('./routes/create-token-page').then(({ CreateTokenPage }) => ({ default: CreateTokenPage }))),
    crumbs: [settingsCrumb, { text: 'Create PAT', href: paths.createToken }],
    title: 'Create PAT',
  },
  {
    path: paths.activity,
    // Not on the first page's path: the log and its table load when asked for.
    Page: lazy(() => import('./routes/activity-page').then(({ ActivityPage }) => ({ default: ActivityPage }))),
    crumbs: [settingsCrumb, { text: 'Activity', href: paths.activity }],
    title: 'Activity',
  },
  {
    // After Create PAT, whose path this pattern would match too.
    path: paths.tokenDetailsPattern,
    Page: lazy(() => import('./routes/token-details-page').then(({ TokenDetailsPage }) => ({ default: TokenDetailsPage }))),
    crumbs: [settingsCrumb, { text: 'PAT details', href: paths.settings }],
    title: 'PAT details',
  },
  {
    path: paths.repositories,
    // Not on the first page's path: loaded when asked for.
    Page: lazy(() => import('./routes/repositories-page').then(({ RepositoriesPage }) => ({ default: RepositoriesPage }))),
    crumbs: [{ text: 'Git repositories', href: paths.repositories }],
    title: 'Git repositories',
  },
];
