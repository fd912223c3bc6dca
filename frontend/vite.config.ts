import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// In development the API runs on :8080 (`cargo run -- serve`); Vite proxies to it.
export default defineConfig({
  plugins: [svelte()],
  server: {
    port: 5173,
    proxy: {
      '/api': 'http://localhost:8080',
      '/openapi.json': 'http://localhost:8080',
      '/docs': 'http://localhost:8080',
    },
  },
  build: {
    target: 'es2022',
    assetsInlineLimit: 0,
    // Read by scripts/budget.mjs to add up what a first visit downloads.
    manifest: true,
  },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
  },
});
