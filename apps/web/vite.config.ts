import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { bundleReport } from './bundle-report';

/** The libraries every page runs on. */
const REACT_CORE =
  /node_modules[\\/](react|react-dom|scheduler|react-router|cookie|set-cookie-parser|@tanstack[\\/][a-z-]+)[\\/]/;

// The portal is served by the API in production; in development Vite serves it and
// forwards `/api` so the session cookie stays same-origin either way.
export default defineConfig({
  plugins: [
    react(),
    // What the sign-in page, then the Overview, load (the goal is ≤ 350 KB gzip) and the largest chunk.
    bundleReport({ 'sign-in': /pages[\\/]SignIn[\\/]/, 'the Overview': /pages[\\/]Overview[\\/]index/ }),
  ],
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // React, the router and react-query: every page needs them and they change rarely, so
          // they are one cached chunk. Fluent UI is left to the bundler, which puts each component
          // with the pages that use it (a table, a drawer, a dialog), so the first page loads only
          // the components it draws; the charts stay in their own chunk, loaded when drawn.
          groups: [{ name: 'vendor-react', test: REACT_CORE }],
        },
      },
    },
  },
});
