import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Everything is bundled into the app: no CDN, no remote fonts (the CSP forbids remote content).
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  build: { target: 'es2022', sourcemap: false, assetsInlineLimit: 0 },
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
  test: {
    environment: 'jsdom',
    include: ['tests/**/*.test.ts'],
  },
});
