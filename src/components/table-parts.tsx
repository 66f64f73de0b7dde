import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';

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

export function NoMatchState({ onClear }: { onClear: () => void }) {
  return (
    <Box textAlign="center" color="inherit">
      <SpaceBetween size="xxs">
        <Box variant="strong" color="inherit">
          No matches
        </Box>
        <Button onClick={onClear}>Clear filter</Button>
      </SpaceBetween>
    </Box>
  );
}

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
