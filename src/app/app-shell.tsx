import AppLayout from '@cloudscape-design/components/app-layout';
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import TopNavigation from '@cloudscape-design/components/top-navigation';
import { Mode } from '@cloudscape-design/global-styles';
import { useEffect } from 'react';
import { Outlet, ScrollRestoration, useMatches, useNavigate } from 'react-router';
import { Notifications } from '../components/notifications';
import { useColorMode } from '../components/use-color-mode';
import { useRouterFollow } from '../components/use-router-follow';
import { useCurrentUser } from '../features/user/api/use-current-user';
import { paths } from '../lib/paths';
import type { Crumb, RouteHandle } from './routes';

const PRODUCT = { title: 'pat-console', href: paths.home };

function useRouteHandle(): Partial<RouteHandle> {
  const matches = useMatches();
  return (matches[matches.length - 1]?.handle as RouteHandle | undefined) ?? {};
}

/** Each page names itself in the tab, the history menu and to screen readers. */
function useDocumentTitle(title: string | undefined) {
  useEffect(() => {
    document.title = title ? `${title} · ${PRODUCT.title}` : PRODUCT.title;
  }, [title]);
}

export function AppShell() {
  const follow = useRouterFollow();
  const navigate = useNavigate();
  const user = useCurrentUser();
  const { mode, toggle } = useColorMode();
  const userName = user.data?.displayName ?? user.data?.userName ?? '';
  const handle = useRouteHandle();
  useDocumentTitle(handle.title);
  const crumbs: Crumb[] = [{ text: PRODUCT.title, href: PRODUCT.href }, ...(handle.crumbs ?? [])];

  return (
    <>
      {/* A new page starts at its top, where its flash is; Back returns to where the user was. */}
      <ScrollRestoration />
      <div id="top-nav" style={{ position: 'sticky', top: 0, zIndex: 1002 }}>
        <TopNavigation
          identity={{ ...PRODUCT, onFollow: follow }}
          utilities={[
            {
              type: 'button',
              text: 'Git repositories',
              href: paths.repositories,
              onFollow: (event) => {
                event.preventDefault();
                void navigate(paths.repositories);
              },
            },
            {
              type: 'button',
              text: mode === Mode.Dark ? 'Light mode' : 'Dark mode',
              ariaLabel: mode === Mode.Dark ? 'Switch to light mode' : 'Switch to dark mode',
              onClick: toggle,
            },
            {
              type: 'menu-dropdown',
              iconName: 'user-profile',
              text: userName || 'Profile',
              description: user.data?.primaryEmail.email,
              ariaLabel: userName ? `Profile: ${userName}` : 'Profile',
              items: [{ id: 'settings', text: 'My settings', href: paths.settings }],
              onItemFollow: (event) => {
                event.preventDefault();
                if (event.detail.href) void navigate(event.detail.href);
              },
            },
          ]}
        />
      </div>
      <AppLayout
        headerSelector="#top-nav"
        navigationHide
        toolsHide
        breadcrumbs={<BreadcrumbGroup items={crumbs} ariaLabel="Breadcrumbs" onFollow={follow} />}
        notifications={<Notifications />}
        content={<Outlet />}
        ariaLabels={{ notifications: 'Notifications' }}
      />
    </>
  );
}
