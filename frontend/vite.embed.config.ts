import { defineConfig } from 'vite';

// The embed script: one self-contained file, built beside the app's assets
// and served at /embed.js. `npm run build` fails when it grows past 5 KB gzipped.
export default defineConfig({
  publicDir: false,
  build: {
    target: 'es2020',
    outDir: 'dist',
    emptyOutDir: false,
    lib: {
      entry: 'embed/embed.ts',
      formats: ['iife'],
      name: 'changemakersGallery',
      fileName: () => 'embed.js',
    },
  },
});
