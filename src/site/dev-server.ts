/**
 * The Astro integration of `hindsight dev`: it lets the dev command reload every open page when
 * the knowledge base changed (see preview.ts), and serves the search files, which a build
 * writes into its output, from the knowledge base being previewed.
 */
import type { AstroIntegration } from 'astro';
import { buildSearchFiles, searchFileTexts } from '../search/index-files.ts';
import { site, type Site } from './data.ts';
import { whenReloaded } from './preview.ts';

export function previewServer(): AstroIntegration {
  const files = new WeakMap<Site, Map<string, string>>();
  return {
    name: 'hindsight-preview',
    hooks: {
      'astro:server:setup': ({ server }) => {
        whenReloaded(() => {
          // What Astro itself sends when its content changed: the server environments drop their
          // cached getStaticPaths (a new postmortem gets a page), then every open page reloads.
          for (const [name, environment] of Object.entries(server.environments)) if (name !== 'client') environment.hot.send('astro:content-changed', {});
          server.environments.client.hot.send({ type: 'full-reload', path: '*' });
        });
        server.middlewares.use((request, response, next) => {
          const base = server.config.base;
          const address = decodeURIComponent((request.url ?? '').split('?')[0]!);
          if (!address.startsWith(`${base}search/`) || !address.endsWith('.json')) return next();
          site()
            .then((s) => {
              let texts = files.get(s);
              if (!texts) files.set(s, (texts = new Map(searchFileTexts(buildSearchFiles(s.incidents, s.kb.catalog)).map(([file, text]) => [file.split('\\').join('/'), text]))));
              const text = texts.get(address.slice(base.length));
              if (text === undefined) return next();
              response.setHeader('content-type', 'application/json; charset=utf-8');
              response.setHeader('cache-control', 'no-store');
              response.end(text);
            })
            .catch(next);
        });
      },
    },
  };
}
