import Alert from '@cloudscape-design/components/alert';
import { servedOverTls } from '../lib/git-remote';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Next to Git addresses on a console opened over plain HTTP: they are http:// too, and a PAT sent
 * to them can be read on the way. Harmless on this computer alone; a warning anywhere else.
 */
export function PlainHttpAlert() {
  if (servedOverTls()) return null;
  const local = LOOPBACK.has(window.location.hostname);
  return (
    <Alert type={local ? 'info' : 'warning'} header="These addresses use plain HTTP">
      This console was opened at an http:// address, so the Git addresses it offers are http:// too, and a PAT sent
      to them can be read on the network{local ? ' (here, only on this computer)' : ''}. Serve pat-console behind TLS and open it
      at its https:// address: the addresses follow.
    </Alert>
  );
}
