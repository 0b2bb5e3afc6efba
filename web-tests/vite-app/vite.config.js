// Production build of the app above: `vite build web-tests/vite-app`.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: {
    // jco's output and the package's entry use top-level await.
    target: 'esnext',
    outDir: '../build/vite-app',
    emptyOutDir: true,
    rollupOptions: {
      onwarn(warning, warn) {
        // Both harmless: jco's "use components" marker, and the Node branch
        // of its wasm loader, which never runs in a browser.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' || /node:fs\/promises/.test(warning.message)) return;
        warn(warning);
      },
    },
  },
});
