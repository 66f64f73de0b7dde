import Alert, { type AlertProps } from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import { lazy, useCallback, useEffect, useRef, useState, type ComponentType, type ReactNode } from 'react';
import { ErrorBoundary, type FallbackProps } from 'react-error-boundary';

/** A part's code could not be fetched: the server was unreachable, or a redeploy renamed the file. */
export class PartLoadError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'PartLoadError';
  }
}

/** How often a part that failed to load tries again on its own, while the server does not answer. */
export const PART_RETRY_INTERVAL_MS = 3_000;

type PartState = 'retrying' | 'unreachable' | 'outdated' | 'broken';

/**
 * Whether the console that served this page is still there. If it answers while a part's file
 * does not, the file is gone: a newer console was deployed, and only a reload brings its files.
 */
async function serverAnswers(): Promise<boolean> {
  try {
    const response = await fetch(window.location.href, { method: 'HEAD', cache: 'no-store' });
    return response.ok;
  } catch {
    return false;
  }
}

interface PartFailureProps {
  /** What failed, for the header: "This page", "The delete dialog". */
  what: string;
  error: unknown;
  /** Fetches the part's code again; resolves once it is there. */
  load: () => Promise<unknown>;
  /** Shows the part again (its code is loaded). */
  retry: () => void;
  /**
   * For a part the user opened (a dialog): the error can be dismissed, and takes the focus, as
   * the dialog would have.
   */
  onDismiss?: () => void;
}

/**
 * A part that failed: says why, offers Retry, and retries on its own every few seconds while the
 * server is unreachable, so the part comes back when the server does.
 */
export function PartFailure({ what, error, load, retry, onDismiss }: PartFailureProps) {
  const alert = useRef<AlertProps.Ref>(null);
  const opened = onDismiss !== undefined;
  useEffect(() => {
    if (opened) alert.current?.focus();
  }, [opened]);
  const failedToLoad = error instanceof PartLoadError;
  const [state, setState] = useState<PartState>(failedToLoad ? 'unreachable' : 'broken');
  // Counts failed tries: each schedules the next, even when it fails too fast to be rendered.
  const [failures, setFailures] = useState(0);
  const attempt = useCallback(async () => {
    setState('retrying');
    try {
      await load();
      retry();
    } catch {
      setState((await serverAnswers()) ? 'outdated' : 'unreachable');
      setFailures((count) => count + 1);
    }
  }, [load, retry]);
  useEffect(() => {
    if (state !== 'unreachable') return;
    const timer = setTimeout(() => void attempt(), PART_RETRY_INTERVAL_MS);
    return () => clearTimeout(timer);
  }, [state, failures, attempt]);

  const dismissal = onDismiss ? { dismissible: true, onDismiss, i18nStrings: { dismissAriaLabel: 'Close' } } : {};
  if (state === 'outdated') {
    return (
      <Alert
        ref={alert}
        {...dismissal}
        type="error"
        header={`${what} could not be loaded`}
        action={<Button onClick={() => window.location.reload()}>Reload</Button>}
      >
        pat-console was updated since this page was opened. Reload the page to continue.
      </Alert>
    );
  }
  const action = (
    <Button loading={state === 'retrying'} onClick={() => (failedToLoad ? void attempt() : retry())}>
      Retry
    </Button>
  );
  return (
    <Alert ref={alert} {...dismissal} type="error" header={`${what} could not be ${failedToLoad ? 'loaded' : 'shown'}`} action={action}>
      {failedToLoad
        ? 'The server did not answer. This is tried again every few seconds, and shown as soon as the server is back.'
        : `Something went wrong: ${error instanceof Error ? error.message : String(error)}`}
    </Alert>
  );
}

interface LazyPartOptions<P> {
  /** What the part is, for its error: "This page", "The delete dialog". */
  what: string;
  /** For a dialog: closes it, so its error can be dismissed. */
  dismiss?: (props: P) => void;
}

export interface LazyPart<P> {
  (props: P): ReactNode;
  /** Starts fetching the code before the part is shown; a failure waits for the part to be shown. */
  preload: () => void;
}

/**
 * `React.lazy` with an error boundary of its own. React keeps a lazy component's failure for good,
 * so Retry (or the retry on its own) replaces it with a fresh one, which fetches again: Chromium
 * fetches a module that failed again when asked.
 */
export function lazyPart<P extends object>(
  load: () => Promise<ComponentType<P>>,
  { what, dismiss }: LazyPartOptions<P>,
): LazyPart<P> {
  const loadModule = () => load().catch((error: unknown) => Promise.reject(new PartLoadError(error)));
  const fresh = () => lazy(() => loadModule().then((Component) => ({ default: Component })));
  let latest = fresh();
  function Part(props: P) {
    const [Shown, setShown] = useState(() => latest);
    return (
      <ErrorBoundary
        onReset={() => {
          latest = fresh();
          setShown(() => latest);
        }}
        fallbackRender={({ error, resetErrorBoundary }: FallbackProps) => (
          <PartFailure
            what={what}
            error={error}
            load={loadModule}
            retry={resetErrorBoundary}
            onDismiss={dismiss && (() => dismiss(props))}
          />
        )}
      >
        <Shown {...props} />
      </ErrorBoundary>
    );
  }
  Part.preload = () => void loadModule().catch(() => undefined);
  return Part;
}
