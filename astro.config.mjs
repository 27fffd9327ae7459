// The Hindsight site: static pages built from the knowledge base that `hindsight build`
// validates and hands over (see src/site/data.ts), and the sharded search index beside them;
// hindsight.yml's component overrides and logo come in through src/site/customisation.ts.
import { defineConfig } from 'astro/config';
import { previewServer } from './src/site/dev-server.ts';
import { customisation } from './src/site/customisation.ts';
import { searchFiles } from './src/site/search-files.ts';

export default defineConfig({
  output: 'static',
  trailingSlash: 'always',
  // Pages render a few at a time, so one is written to disk while the next renders.
  build: { format: 'directory', concurrency: 4 },
  // Postmortem text is rendered by src/site/render.ts, not by Astro's Markdown pipeline.
  markdown: { syntaxHighlight: false },
  integrations: [customisation(), searchFiles(), previewServer()],
});
