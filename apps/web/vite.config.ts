import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

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
          groups: [{ name: 'vendor', test: /node_modules/ }],
        },
      },
    },
  },
});
