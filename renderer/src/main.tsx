// First: the client opens its connection as this module is evaluated, so the handshake runs while the
// browser evaluates React below (modules run in import order).
import { api } from './api/client.js';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { queryKey } from './api/hooks.js';
import { recheckStoreOn } from './api/storeUnavailable.js';
import { App } from './app/App.js';
import './styles/theme.css';
import './styles/base.css';
import './styles/shell.css';
import './styles/components.css';
import './styles/overview.css';
import './styles/streams.css';

// Any call answering STORE_UNAVAILABLE while the store was thought open: re-read the session, so the whole
// console switches to "the store cannot be opened" (see storeUnavailable.ts).
const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: (error) => recheckStoreOn(queryClient, error) }),
  mutationCache: new MutationCache({ onError: (error) => recheckStoreOn(queryClient, error) }),
  defaultOptions: {
    queries: { retry: false, refetchOnWindowFocus: false, staleTime: 2000 },
  },
});

// What every first screen shows (status bar, Overview) is asked for now: the answers come back while
// React renders the shell, instead of after it. The components' queries pick these up.
void queryClient.prefetchQuery({ queryKey: queryKey('session.info', {}), queryFn: () => api.call('session.info', {}), staleTime: Infinity });
void queryClient.prefetchQuery({ queryKey: queryKey('store.overview', {}), queryFn: () => api.call('store.overview', {}) });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
