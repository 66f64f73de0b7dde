import { lazyPart } from '../../../components/lazy-part';

// Loaded when first wanted (a row selected, a PAT's page open), each with its own error and Retry.

export const LazyDeleteAccessTokensModal = lazyPart(
  () => import('./delete-access-tokens-modal').then((module) => module.DeleteAccessTokensModal),
  { what: 'The delete dialog', dismiss: ({ onClose }) => onClose(false) },
);

export const LazyRegenerateAccessTokenModal = lazyPart(
  () => import('./regenerate-access-token-modal').then((module) => module.RegenerateAccessTokenModal),
  { what: 'The Regenerate dialog', dismiss: ({ onClose }) => onClose(false) },
);
