import { build } from 'vite';

/** Builds the bare Cloudscape page (this folder's index.html and main.tsx) into `outDir`. */
export async function buildBareCloudscape(outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: import.meta.dirname,
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  });
}

