import '@cloudscape-design/global-styles/index.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';

async function startMockServiceIfDemo() {
  if (import.meta.env.VITE_MSW !== 'true') return;
  const { startDemoWorker } = await import('../mocks/browser');
  await startDemoWorker();
}

await startMockServiceIfDemo();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
