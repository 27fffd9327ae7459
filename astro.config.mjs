// The Hindsight site: static pages built from the knowledge base that `hindsight build`
// validates and hands over (see src/site/data.ts), and the sharded search index beside them.
import { defineConfig } from 'astro/config';
import { searchFiles } from './src/site/search-files.ts';

export default defineConfig({
  output: 'static',
  trailingSlash: 'always',
  // Pages render a few at a time, so one is written to disk while the next renders.
  build: { format: 'directory', concurrency: 4 },
  // Postmortem text is rendered by src/site/render.ts, not by Astro's Markdown pipeline.
  markdown: { syntaxHighlight: false },
  integrations: [searchFiles()],
});
