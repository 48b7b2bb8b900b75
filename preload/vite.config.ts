import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// A sandboxed preload cannot require files: everything it imports is bundled into one CommonJS file.
export default defineConfig({
  build: {
    outDir: resolve(import.meta.dirname, '../dist/preload'),
    emptyOutDir: true,
    minify: false,
    target: 'chrome130',
    lib: { entry: resolve(import.meta.dirname, 'index.ts'), formats: ['cjs'], fileName: () => 'index.cjs' },
    rollupOptions: { external: ['electron'] },
  },
});
