import { createMemoryTokenStore } from './memory-token-store';
import { describeAdminRules } from './testing/admin-rules-suite';
import { describeNoticeRules } from './testing/notice-rules-suite';
import { describeServiceRules } from './testing/service-rules-suite';

/** One store: a second "server" shares it, as servers share a database. */
async function newDatabase() {
  const { store } = createMemoryTokenStore();
  return async () => store;
}

describeServiceRules('the memory store', newDatabase);
describeNoticeRules('the memory store', newDatabase);
describeAdminRules('the memory store', newDatabase);
