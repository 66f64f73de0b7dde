import AppLayout from '@cloudscape-design/components/app-layout';
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Spinner from '@cloudscape-design/components/spinner';
import TopNavigation from '@cloudscape-design/components/top-navigation';
import { Mode } from '@cloudscape-design/global-styles';
import { Suspense, useEffect, useLayoutEffect, useState } from 'react';
import { ErrorBoundary } from 'react-error-boundary';
import { matchRoute, Redirect, Route, Switch, useLocation, useRouter } from 'wouter';
import { PartFailure } from '../components/lazy-part';
import { useHistoryLocation } from '../components/navigation';
import { Notifications } from '../components/notifications';
import { useColorMode } from '../components/use-color-mode';
import { useRouterFollow } from '../components/use-router-follow';
import { useCurrentUser } from '../features/user/api/use-current-user';
import { paths } from '../lib/paths';
import { pageRoutes, type Crumb, type PageRoute } from './routes';

const PRODUCT = { title: 'pat-console', href: paths.home };

function useCurrentRoute(): PageRoute | undefined {
  const [pathname] = useLocation();
  const { parser } = useRouter();
  return pageRoutes.find((route) => matchRoute(parser, route.path, pathname)[0]);
}

/** A new page starts at its top, where its flash is; Back leaves the browser to return to where the user was. */
function useScrollToTopOnNewPage() {
  const location = useHistoryLocation();
  useLayoutEffect(() => {
    if (location.action === 'push') window.scrollTo(0, 0);
  }, [location]);
}

const loaded = () => Promise.resolve();

function Pages() {
  const [pathname] = useLocation();
  return (
    // A page that fails says so in its place; moving to another page starts afresh.
    <ErrorBoundary
      resetKeys={[pathname]}
      fallbackRender={({ error, resetErrorBoundary }) => (
        <PartFailure what="This page" error={error} load={loaded} retry={resetErrorBoundary} />
      )}
    >
      {/* Shown while a lazy page (a deep link to Create PAT) loads on first visit. */}
      <Suspense fallback={<Spinner size="large" />}>
        <Switch>
          {pageRoutes.map(({ path, Page }) => (
            <Route key={path} path={path} component={Page} />
          ))}
          <Route>
            <Redirect to={paths.settings} replace />
          </Route>
        </Switch>
      </Suspense>
    </ErrorBoundary>
  );
}

// Room above a focused field: its label, and a line of description.
const FIELD_HEAD_ROOM_PX = 80;

/**
 * The sticky header covers the top of the window, and the browser counts what is under it as in
 * view: a field focused there (by an invalid submit, or by Tab) would stay hidden. Scroll it, and
 * its label, out from under the header.
 */
function useFocusNeverUnder(selector: string) {
  useEffect(() => {
    const onFocus = (event: FocusEvent) => {
      const header = document.querySelector(selector);
      const target = event.target;
      // A dialog sits above the header; the header's own controls are never under it.
      if (!header || !(target instanceof Element) || header.contains(target) || target.closest('[role="dialog"]')) return;
      const clear = header.getBoundingClientRect().bottom + FIELD_HEAD_ROOM_PX;
      const top = target.getBoundingClientRect().top;
      if (top < clear) window.scrollBy(0, top - clear);
    };
    document.addEventListener('focusin', onFocus);
    return () => document.removeEventListener('focusin', onFocus);
  }, [selector]);
}

/**
 * The current page's breadcrumb is not a link, yet Cloudscape makes it a Tab stop (tabindex 0, role
 * link, aria-disabled): Tab goes past it. Screen readers still read it, as the current page.
 */
function useCurrentCrumbNotATabStop(navLabel: string) {
  useEffect(() => {
    const nav = document.querySelector(`nav[aria-label="${navLabel}"]`);
    if (!nav) return;
    const settle = () => nav.querySelectorAll('[aria-current="page"][tabindex="0"]').forEach((crumb) => crumb.setAttribute('tabindex', '-1'));
    settle();
    const observer = new MutationObserver(settle);
    observer.observe(nav, { subtree: true, childList: true, attributes: true, attributeFilter: ['tabindex', 'aria-current'] });
    return () => observer.disconnect();
  }, [navLabel]);
}

const MAIN_CONTENT_ID = 'main-content';

/** The first Tab stop: past the top navigation and the breadcrumbs, to the page itself. Shown when focused. */
function SkipToContent() {
  const [shown, setShown] = useState(false);
  return (
    <a
      href={`#${MAIN_CONTENT_ID}`}
      onFocus={() => setShown(true)}
      onBlur={() => setShown(false)}
      onClick={(event) => {
        // Focus moves without a #fragment in the address, which the router would keep.
        event.preventDefault();
        document.getElementById(MAIN_CONTENT_ID)?.focus();
      }}
      style={
        shown
          ? { position: 'fixed', top: 8, left: 8, zIndex: 2000, padding: '8px 16px', background: 'Canvas', color: 'LinkText', outline: '2px solid' }
          : { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clipPath: 'inset(50%)', whiteSpace: 'nowrap' }
      }
    >
      Skip to main content
    </a>
  );
}

/** Each page names itself in the tab, the history menu and to screen readers. */
function useDocumentTitle(title: string | undefined) {
  useEffect(() => {
    document.title = title ? `${title} · ${PRODUCT.title}` : PRODUCT.title;
  }, [title]);
}

export function AppShell() {
  const follow = useRouterFollow();
  const [, navigate] = useLocation();
  const user = useCurrentUser();
  const { mode, toggle } = useColorMode();
  const userName = user.data?.displayName ?? user.data?.userName ?? '';
  const route = useCurrentRoute();
  useDocumentTitle(route?.title);
  useScrollToTopOnNewPage();
  useFocusNeverUnder('#top-nav');
  useCurrentCrumbNotATabStop('Breadcrumbs');
  const crumbs: Crumb[] = [{ text: PRODUCT.title, href: PRODUCT.href }, ...(route?.crumbs ?? [])];

  return (
    <>
      <SkipToContent />
      <div id="top-nav" style={{ position: 'sticky', top: 0, zIndex: 1002 }}>
        <TopNavigation
          identity={{ ...PRODUCT, onFollow: follow }}
          // On a narrow screen the utilities fold into a menu: its button and panel need names.
          i18nStrings={{
            overflowMenuTriggerText: 'Menu',
            overflowMenuTitleText: 'Menu',
            overflowMenuBackIconAriaLabel: 'Back',
            overflowMenuDismissIconAriaLabel: 'Close menu',
          }}
          utilities={[
            {
              type: 'button',
              text: 'Git repositories',
              href: paths.repositories,
              onFollow: (event) => {
                event.preventDefault();
                navigate(paths.repositories);
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
              items: [
                { id: 'settings', text: 'My settings', href: paths.settings },
                { id: 'activity', text: 'Activity', href: paths.activity },
                { id: 'notifications', text: 'Notifications', href: paths.notifications },
                ...(user.data?.admin ? [{ id: 'admin', text: 'Admin', href: paths.admin }] : []),
                { id: 'repositories', text: 'Git repositories', href: paths.repositories },
              ],
              onItemFollow: (event) => {
                event.preventDefault();
                if (event.detail.href) navigate(event.detail.href);
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
        content={
          <div id={MAIN_CONTENT_ID} tabIndex={-1} style={{ outline: 'none' }}>
            <Pages />
          </div>
        }
        // "Notifications" names the page of notification settings; this region holds the page's messages.
        ariaLabels={{ notifications: 'Messages' }}
      />
    </>
  );
}
