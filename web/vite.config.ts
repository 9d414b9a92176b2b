// Builds the web UI into web/dist, served by `vos serve` (docs/web.md).  The server's
// Content-Security-Policy is `default-src 'self'`: the build has no inline scripts or styles
// and no data: URLs (assetsInlineLimit 0), and the module-preload polyfill (an inline helper)
// is off: every browser VOS supports preloads modules natively.
import { defineConfig } from 'vite';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        // the charts library in a chunk of its own: cached across releases of the screens
        codeSplitting: { groups: [{ name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ }] },
      },
    },
  },
  server: {
    // `npm run dev` proxies the API to a `vos serve` on :8080
    proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' },
  },
});
