import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Pagination, { type PaginationProps } from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useSyncExternalStore, type ReactNode } from 'react';

/** The pieces every table of the console shares, so that they read and behave alike. */

const PAGINATION_LABELS = {
  nextPageLabel: 'Next page',
  previousPageLabel: 'Previous page',
  pageLabel: (page: number) => `Page ${page}`,
};

const NARROW = '(max-width: 480px)';
const subscribeToNarrow = (onChange: () => void) => {
  const query = globalThis.matchMedia?.(NARROW);
  query?.addEventListener('change', onChange);
  return () => query?.removeEventListener('change', onChange);
};
const isNarrow = () => globalThis.matchMedia?.(NARROW).matches ?? false;

/** Whether the screen is a phone's: the tables fold what does not fit. */
export const useNarrowScreen = () => useSyncExternalStore(subscribeToNarrow, isNarrow, () => false);

/**
 * A table's pages. On a phone the numbered pages would wrap under the table's tools, so there it is
 * Previous, "Page 4 of 10", Next.
 */
export function TablePagination({ currentPageIndex, pagesCount, onChange }: Pick<PaginationProps, 'currentPageIndex' | 'pagesCount' | 'onChange'>) {
  const narrow = useNarrowScreen();
  if (!narrow || pagesCount <= 3) {
    return <Pagination currentPageIndex={currentPageIndex} pagesCount={pagesCount} onChange={onChange} ariaLabels={PAGINATION_LABELS} />;
  }
  const go = (page: number) => onChange?.(new CustomEvent('change', { detail: { currentPageIndex: page } }));
  return (
    <SpaceBetween direction="horizontal" size="xxs" alignItems="center">
      <Button
        variant="icon"
        iconName="angle-left"
        ariaLabel={PAGINATION_LABELS.previousPageLabel}
        disabled={currentPageIndex <= 1}
        onClick={() => go(currentPageIndex - 1)}
      />
      <Box>
        Page {currentPageIndex} of {pagesCount}
      </Box>
      <Button
        variant="icon"
        iconName="angle-right"
        ariaLabel={PAGINATION_LABELS.nextPageLabel}
        disabled={currentPageIndex >= pagesCount}
        onClick={() => go(currentPageIndex + 1)}
      />
    </SpaceBetween>
  );
}

// Numbers in names sort as numbers (burst-2 before burst-10), and case aside.
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** How the console's tables sort anything by its name. */
export const compareNames = (a: { name: string }, b: { name: string }) => collator.compare(a.name, b.name);

export const matchesCountText = (count: number | undefined) => `${count ?? 0} ${count === 1 ? 'match' : 'matches'}`;

interface TableMessageProps {
  title: string;
  description?: ReactNode;
  /** What to do about it: a button, a command to copy. */
  action?: ReactNode;
  /** Room between the parts; more when the action is more than a button. */
  size?: 'xxs' | 'xs';
}

/** What a table shows in place of rows (nothing yet, no match): a title, what to know, what to do. */
export function TableMessage({ title, description, action, size = 'xxs' }: TableMessageProps) {
  return (
    <Box textAlign="center" color="inherit">
      <SpaceBetween size={size}>
        <Box variant="strong" color="inherit">
          {title}
        </Box>
        {description && (
          <Box variant="p" color="inherit">
            {description}
          </Box>
        )}
        {action}
      </SpaceBetween>
    </Box>
  );
}

export const NoMatchState = ({ onClear }: { onClear: () => void }) => (
  <TableMessage title="No matches" action={<Button onClick={onClear}>Clear filter</Button>} />
);

/** `what` failed to load: the reason, and Retry. */
export function LoadErrorState({ what, message, onRetry }: { what: string; message: string; onRetry: () => void }) {
  return (
    <Box textAlign="center" color="inherit">
      <SpaceBetween size="xxs">
        <StatusIndicator type="error">
          {what} could not be loaded. {message}
        </StatusIndicator>
        <Button onClick={onRetry}>Retry</Button>
      </SpaceBetween>
    </Box>
  );
}
