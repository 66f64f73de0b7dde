import { createApiClient } from '../../contract/api-client';

/** The console's one API client, on the page's own origin unless the build names another. */
export const apiClient = createApiClient({ baseUrl: import.meta.env.VITE_API_BASE_URL ?? '', consolePage: true });
