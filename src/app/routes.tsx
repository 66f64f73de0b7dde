import Spinner from '@cloudscape-design/components/spinner';
import { Navigate, type RouteObject } from 'react-router';
import { paths } from '../lib/paths';
import { AppShell } from './app-shell';
import { SettingsPage } from './routes/settings-page';

export interface Crumb {
  text: string;
  href: string;
}

/** What a route tells the shell: its breadcrumbs, and the page's name for the document title. */
export interface RouteHandle {
  crumbs: Crumb[];
  title: string;
}

const settingsCrumb: Crumb = { text: 'My settings', href: paths.settings };

export const routes: RouteObject[] = [
  {
    element: <AppShell />,
    // Shown while a lazy route (a deep link to Create PAT) loads on first visit.
    hydrateFallbackElement: <Spinner size="large" />,
    children: [
      { index: true, element: <Navigate to={paths.settings} replace /> },
      { path: paths.settings, element: <SettingsPage />, handle: { crumbs: [settingsCrumb], title: 'My settings' } satisfies RouteHandle },
      {
        path: paths.createToken,
        // Most visits never create a token: the form and its calendar load on demand.
        lazy: () => import('./routes/create-token-page').then(({ CreateTokenPage }) => ({ Component: CreateTokenPage })),
        handle: { crumbs: [settingsCrumb, { text: 'Create PAT', href: paths.createToken }], title: 'Create PAT' } satisfies RouteHandle,
      },
      {
        path: paths.repositories,
        // Not on the first page's path: loaded when asked for.
        lazy: () => import('./routes/repositories-page').then(({ RepositoriesPage }) => ({ Component: RepositoriesPage })),
        handle: { crumbs: [{ text: 'Git repositories', href: paths.repositories }], title: 'Git repositories' } satisfies RouteHandle,
      },
      { path: '*', element: <Navigate to={paths.settings} replace /> },
    ],
  },
];
