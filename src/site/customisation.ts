/**
 * hindsight.yml's customisation of the site, as an Astro integration: the components a
 * knowledge base may replace (`components`: Header, Footer, IncidentAside), and the logo file
 * copied into the output.
 *
 * As Starlight does it, pages import each overridable component from a virtual module,
 * `virtual:hindsight/components/<Name>`, which a Vite plugin resolves to a module re-exporting
 * either the user's file (a path relative to the project root) or the original in
 * src/components/. The originals stay importable, to wrap them, as
 * `hindsight-kb/components/<Name>.astro` (as do the site's other components): the plugin resolves
 * that name to the original itself, so it is compiled with the pages wherever the package is
 * installed. A file that does not exist
 * is an error before Astro starts: `hindsight build` reports it as `file-missing` at its line of
 * hindsight.yml, and a plain `astro build` stops here with the same message.
 *
 * For incremental builds, the plugin records every file of the user's that the bundle is made
 * of (the overrides and what they import), so editing one renders every page again.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration, ViteUserConfig } from 'astro';
import { OVERRIDABLE_COMPONENTS, type ComponentName, type Settings } from '../../schemas/settings.ts';
import { withBase } from './base.ts';
import { logoFile } from './branding.ts';
import { buildSettings, recordSiteFiles } from './data.ts';

const VIRTUAL = 'virtual:hindsight/components/';
const PUBLIC = /^hindsight-kb\/components\/([A-Za-z]+)\.astro$/;
const IMAGE_TYPES: Record<string, string> = { '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp' };

const isComponent = (name: string | undefined): name is ComponentName => OVERRIDABLE_COMPONENTS.includes(name as ComponentName);

/** The file each component comes from: the override of the settings (relative to `project`), else the original in `originals`. */
export function componentFiles(settings: Settings, project: string, originals: string): Record<ComponentName, string> {
  return Object.fromEntries(
    OVERRIDABLE_COMPONENTS.map((name) => {
      const override = settings.components?.[name];
      return [name, override === undefined ? path.join(originals, `${name}.astro`) : path.resolve(project, override)];
    }),
  ) as Record<ComponentName, string>;
}

/** The integration, for astro.config.mjs: the components plugin, and the logo copied (by a build) or served (by the dev server). */
export function customisation(): AstroIntegration {
  let outDir: string;
  let logo: ReturnType<typeof logoFile>;
  return {
    name: 'hindsight-customisation',
    hooks: {
      'astro:config:setup': async ({ config, updateConfig }) => {
        const { settings, content, project, diagnostics } = await buildSettings();
        // Only a plain `astro build` gets here with them: `hindsight build` stops before Astro.
        const missing = diagnostics.filter((d) => d.rule === 'file-missing');
        if (missing.length > 0) throw new Error(missing.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`).join('\n'));
        const originals = fileURLToPath(new URL('components/', config.srcDir));
        const files = componentFiles(settings, project, originals);
        const overrides = OVERRIDABLE_COMPONENTS.filter((name) => settings.components?.[name] !== undefined).map((name) => files[name]);
        logo = logoFile(settings, content);
        const vite: ViteUserConfig = {
          plugins: [componentsPlugin(files, originals, fileURLToPath(config.srcDir), overrides.length > 0 ? lockfiles(project) : [])],
          // The dev server serves the overrides' client files, outside the package.
          ...(overrides.length > 0 ? { server: { fs: { allow: overrides.map((file) => path.dirname(file)) } } } : {}),
        };
        updateConfig({ vite });
      },
      'astro:config:done': ({ config }) => {
        outDir = fileURLToPath(config.outDir);
      },
      // Under `hindsight dev` the logo is served from where a build writes it, as it is now: the
      // settings and the file may change while the server runs, and its address with them.
      'astro:server:setup': ({ server }) => {
        const prefix = withBase(server.config.base, '/_astro/logo.');
        server.middlewares.use((request, response, next) => {
          const address = request.url?.split('?')[0];
          if (!address?.startsWith(prefix)) return next();
          buildSettings()
            .then(async ({ settings, content }) => {
              const current = logoFile(settings, content);
              if (!current || withBase(server.config.base, current.address) !== address) return next();
              const bytes = await readFile(current.source);
              response.setHeader('Content-Type', IMAGE_TYPES[path.extname(current.source).toLowerCase()] ?? 'application/octet-stream');
              response.end(bytes);
            })
            .catch(next);
        });
      },
      'astro:build:done': async () => {
        if (!logo) return;
        const target = path.join(outDir, logo.output);
        await mkdir(path.dirname(target), { recursive: true });
        await copyFile(logo.source, target);
      },
    },
  };
}

/** A stylesheet, or an Astro component (whose style blocks may import some). */
const STYLE = /\.(?:astro|css|scss|sass|less|styl|stylus|pcss|postcss)$/;
/** The path of an `@import` (`@import "a.css"`, `@import url(a.css)`). */
const CSS_IMPORT = /@import\s+(?:url\(\s*)?["']?([^"')\s;]+)/g;

/** The lockfiles of the project that exist: what the packages an override imports are, at which versions. */
function lockfiles(project: string): string[] {
  return ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb'].map((name) => path.join(project, name)).filter((file) => existsSync(file));
}

/**
 * Resolves `virtual:hindsight/components/<Name>` to a module re-exporting the chosen file, and
 * `hindsight-kb/components/<Name>.astro` to the original in `originals`; records the user's files
 * the bundle holds (neither the package's sources under `srcDir` nor any package's in node_modules),
 * the stylesheets those `@import` (which Vite inlines), and `lockfiles`, which stand for the
 * packages in node_modules an override may import.
 */
function componentsPlugin(files: Record<ComponentName, string>, originals: string, srcDir: string, lockfiles: readonly string[]): NonNullable<ViteUserConfig['plugins']>[number] {
  const userFiles = new Set<string>();
  const isUserFile = (file: string) => path.isAbsolute(file) && !file.startsWith(srcDir) && !file.split(path.sep).includes('node_modules') && statSync(file, { throwIfNoEntry: false })?.isFile() === true;
  /**
   * The stylesheets a stylesheet of the user's `@import`s by path, and theirs: Vite's CSS step
   * inlines them, and they never pass through `transform` as modules of their own.
   */
  const recordImports = (code: string, from: string) => {
    for (const [, target] of code.matchAll(CSS_IMPORT)) {
      const file = path.resolve(path.dirname(from), target!);
      if (!/^[./]/.test(target!) || userFiles.has(file) || !isUserFile(file)) continue;
      userFiles.add(file);
      recordImports(readFileSync(file, 'utf8'), file);
    }
  };
  return {
    name: 'hindsight-components',
    enforce: 'pre',
    resolveId(id) {
      if (id.startsWith(VIRTUAL) && isComponent(id.slice(VIRTUAL.length))) return `\0${id}`;
      // Any of the site's components, overridable or not (a replacement may use Severity, say).
      const name = PUBLIC.exec(id)?.[1];
      const original = name === undefined ? undefined : path.join(originals, `${name}.astro`);
      return original !== undefined && statSync(original, { throwIfNoEntry: false })?.isFile() ? original : undefined;
    },
    load(id) {
      if (!id.startsWith(`\0${VIRTUAL}`)) return undefined;
      const name = id.slice(VIRTUAL.length + 1) as ComponentName;
      return `export { default } from ${JSON.stringify(files[name])};\n`;
    },
    transform(_code, id) {
      const file = id.split('?')[0]!;
      if (file.startsWith('\0') || !isUserFile(file)) return undefined;
      if (userFiles.has(file)) return undefined;
      userFiles.add(file);
      // Read as written: Astro hands a component's styles over with their imports inlined.
      if (STYLE.test(file)) recordImports(readFileSync(file, 'utf8'), file);
      return undefined;
    },
    buildEnd() {
      recordSiteFiles([...userFiles, ...lockfiles]);
    },
  };
}
