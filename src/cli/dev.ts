/**
 * `hindsight dev`: a preview for authors while they write. It serves the site with Astro's dev
 * server, drafts included (marked as drafts; a build never shows them), watches the content
 * folder, validates on every save, prints the problems in the terminal and shows them on the
 * pages, and makes every open page reload. Unchanged files come from the parse cache, so a save
 * is on the page well within a second on a knowledge base of a few hundred postmortems.
 */
import { once } from 'node:events';
import path from 'node:path';
import { watch } from 'chokidar';
import { buildDate } from '../analysis/build-date.ts';
import { possibleRecurrences } from '../analysis/recurrence-check.ts';
import type { Postmortem } from '../knowledge-base/index.ts';
import { loadKnowledgeBase } from '../knowledge-base/loader.ts';
import { cacheDirFor } from '../knowledge-base/parse-cache.ts';
import { astroProject } from '../site/astro-project.ts';
import { handOver } from '../site/data.ts';
import { loadHistory } from '../knowledge-base/history.ts';
import { previewOf, reloadPages } from '../site/preview.ts';
import { formatPretty } from './reporters.ts';
import { portOption, servedBase } from './options.ts';
import type { CommandResult } from './result.ts';
import { stopSignal } from './stop.ts';

export const devHelp = `Usage: hindsight dev [--content DIR] [--port N] [--host]

Serves a live preview of the site while you write: drafts and postmortems in review are shown,
marked as such; every save is validated, the problems are printed here and shown on the pages,
and open pages reload. A postmortem that has errors keeps its last good version on its page
until they are fixed. Stop it with Ctrl-C.

Options:
  --content DIR   content folder (default: content)
  --port N        port to listen on (default: 4321, or the next free one)
  --host          listen on every network interface, not only this machine
  -h, --help      show this help
`;

export interface DevOptions {
  cwd: string;
  content?: string;
  port?: string;
  host?: boolean;
  color?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Where the running preview reports: each validation and the address it serves. */
  log?: (text: string) => void;
  /** Resolves when the preview should stop (default: on SIGINT or SIGTERM). */
  stop?: Promise<unknown>;
}

export async function dev({ cwd, content = 'content', port = '4321', host = false, color = false, env = process.env, log = (text) => process.stdout.write(text), stop }: DevOptions): Promise<CommandResult> {
  const portNumber = portOption(port);
  const contentDir = path.resolve(cwd, content);
  const cacheDir = cacheDirFor(cwd, env);
  const lastGood = new Map<string, Postmortem>();

  /** Loads, validates and hands the knowledge base to the site; gives the base it is served under. */
  const load = async () => {
    const today = buildDate({ env });
    const history = loadHistory(content, { cwd, cacheDir, env });
    const loaded = await loadKnowledgeBase(content, { cwd, html: true, cacheDir, today, recurrences: possibleRecurrences });
    const { kb, preview } = previewOf(loaded, lastGood);
    handOver(contentDir, kb, today, { preview, project: cwd, history: await history });
    log(formatPretty(loaded.diagnostics, { files: loaded.files }, color));
    return kb.catalog.settings.base_url;
  };
  const base = servedBase(await load());

  process.env.HINDSIGHT_CONTENT = contentDir;
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  const { dev: astroDev } = await import('astro');
  const project = await astroProject(`${contentDir}\u0000dev`, { keep: cacheDir !== undefined });
  const server = await astroDev(project.config({ base, server: { port: portNumber, host }, logLevel: 'warn' }));
  const address = `http://${host ? 'localhost' : server.address.address.includes(':') ? `[${server.address.address}]` : server.address.address}:${server.address.port}${base}`;

  // Saves come as bursts of events (an editor writes, renames, touches): one reload per burst.
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running
        .then(async () => {
          log(`\n${new Date().toTimeString().slice(0, 8)} content changed\n`);
          await load();
          reloadPages();
        })
        .catch((error) => log(`hindsight: ${error?.message ?? error}\n`));
    }, 60);
  };
  // chokidar follows editors that save by writing a new file and renaming it over the old one,
  // where fs.watch loses the file; the preview is announced once it watches every file.
  const watcher = watch(contentDir, { ignoreInitial: true });
  await once(watcher, 'ready');
  watcher.on('all', changed);
  log(`Previewing ${path.relative(cwd, contentDir) || '.'} at ${address} (drafts shown). Ctrl-C stops.\n`);
  try {
    await (stop ?? stopSignal());
  } finally {
    await watcher.close();
    clearTimeout(timer);
    await running;
    await server.stop();
    await project.dispose();
  }
  return { status: 0 };
}
