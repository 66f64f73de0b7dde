import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { ReactNode } from 'react';

/** The pieces every table of the console shares, so that they read and behave alike. */

export const PAGINATION_LABELS = {
  nextPageLabel: 'Next page',
  previousPageLabel: 'Previous page',
  pageLabel: (page: number) => `Page ${page}`,
};

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
