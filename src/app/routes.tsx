import Spinner from '@cloudscape-design/components/spinner';
import { Navigate, type RouteObject } from 'react-router';
import { paths } from '../lib/paths';
import { AppShell } from './app-shell';
import { SettingsPage } from './routes/settings-page';

export interface Crumb {
  text: string;
  href: string;
}

const settingsCrumb: Crumb = { text: 'My settings', href: paths.settings };

export const routes: RouteObject[] = [
  {
    element: <AppShell />,
    // Shown while a lazy route (a deep link to Create PAT) loads on first visit.
    hydrateFallbackElement: <Spinner size="large" />,
    children: [
      { index: true, element: <Navigate to={paths.settings} replace /> },
      { path: paths.settings, element: <SettingsPage />, handle: { crumbs: [settingsCrumb] } },
      {
        path: paths.createToken,
        // Most visits never create a token: the form and its calendar load on demand.
        lazy: () => import('./routes/create-token-page').then(({ CreateTokenPage }) => ({ Component: CreateTokenPage })),
        handle: { crumbs: [settingsCrumb, { text: 'Create PAT', href: paths.createToken }] },
      },
      { path: '*', element: <Navigate to={paths.settings} replace /> },
    ],
  },
];
