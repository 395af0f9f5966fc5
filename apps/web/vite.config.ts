import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Libraries only the charts use (loaded with React.lazy): the chart library, d3, and the Fluent UI
 * packages no page but the charts imports. Kept out of the vendor chunk, so the first page does not
 * load them; a package listed here that a page starts to use is still bundled correctly, in a chunk
 * shared by both.
 */
const CHARTS_ONLY =
  /node_modules[\\/](@fluentui[\\/](react-charts|chart-utilities|react-popover|react-tooltip|react-overflow|priority-overflow)|d3-[a-z-]+|internmap)[\\/]/;

// The portal is served by the API in production; in development Vite serves it and
// forwards `/api` so the session cookie stays same-origin either way.
export default defineConfig({
  plugins: [react()],
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
    // Fluent UI and React are large but change rarely: one vendor chunk keeps the app chunk
    // small and lets browsers cache the libraries across releases, hence the higher limit.
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'vendor', test: (id: string) => id.includes('node_modules') && !CHARTS_ONLY.test(id) },
          ],
        },
      },
    },
  },
});
