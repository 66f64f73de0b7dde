import { createMemoryTokenStore } from './memory-token-store';
import { describeServiceRules } from './testing/service-rules-suite';

describeServiceRules('the memory store', async () => {
  // One store: a second "server" shares it, as servers share a database.
  const { store } = createMemoryTokenStore();
  return async () => store;
});
