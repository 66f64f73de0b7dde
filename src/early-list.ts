import { listEarlyAccessTokens, startEarlyAccessTokens } from './features/access-tokens/api/early-access-tokens';

// One classic script, two roles: on the page it starts itself again as a worker, whose requests
// go on while the page's main thread is busy compiling and rendering; in the worker it asks.
if (typeof window === 'undefined') {
  void listEarlyAccessTokens().then((message) => self.postMessage(message));
} else if (document.currentScript instanceof HTMLScriptElement) {
  window.patConsoleEarlyAccessTokens = startEarlyAccessTokens(window.location.pathname, document.currentScript.src);
}
