// The bare Astro peer of the benchmark: a static site of one page per Markdown file, built
// from a content collection. Its caches stay inside this (temporary) project, since its
// node_modules is a link to Hindsight's.
import { defineConfig } from 'astro/config';

export default defineConfig({
  output: 'static',
  build: { format: 'directory' },
  cacheDir: './.astro-cache',
  vite: { cacheDir: './.vite-cache' },
});
