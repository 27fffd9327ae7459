/**
 * `hindsight preview`: serves a built site as a static host would, under its base (the path of
 * base_url, or --base), so what `hindsight build` wrote can be looked at before it is deployed.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { loadCatalog } from '../knowledge-base/loader.ts';
import { serve } from '../site/static-server.ts';
import { baseOption, portOption, servedBase } from './options.ts';
import { UsageError, type CommandResult } from './result.ts';
import { stopSignal } from './stop.ts';

export const previewHelp = `Usage: hindsight preview [--out DIR] [--port N] [--host] [--base PATH] [--content DIR]

Serves the site that \`hindsight build\` wrote, as a static host would: under the path of
base_url in hindsight.yml (or --base), with the site's own 404 page. Stop it with Ctrl-C.

Options:
  --out DIR       the built site (default: dist)
  --port N        port to listen on (default: 4321)
  --host          listen on every network interface, not only this machine
  --base PATH     the path to serve it under, as given to hindsight build --base
  --content DIR   content folder whose hindsight.yml names base_url (default: content)
  -h, --help      show this help
`;

export interface PreviewOptions {
  cwd: string;
  out?: string;
  port?: string;
  host?: boolean;
  base?: string;
  content?: string;
  log?: (text: string) => void;
  /** Resolves when the server should stop (default: on SIGINT or SIGTERM). */
  stop?: Promise<unknown>;
}

export async function preview({ cwd, out = 'dist', port = '4321', host = false, base: baseText, content = 'content', log = (text) => process.stdout.write(text), stop }: PreviewOptions): Promise<CommandResult> {
  const portNumber = portOption(port);
  const dir = path.resolve(cwd, out);
  if (!(await stat(path.join(dir, 'index.html')).catch(() => undefined))) throw new UsageError(`${out} has no built site; run hindsight build first.`);
  const override = baseOption(baseText);
  const baseUrl = override === undefined ? (await loadCatalog(content, { cwd }).catch(() => undefined))?.catalog.settings.base_url : undefined;
  const base = servedBase(baseUrl, override);
  const server = await serve(dir, { prefix: base, port: portNumber, host: host ? '0.0.0.0' : '127.0.0.1', record: false });
  log(`Serving ${path.relative(cwd, dir) || '.'} at ${server.url}${base}. Ctrl-C stops.\n`);
  try {
    await (stop ?? stopSignal());
  } finally {
    await server.close();
  }
  return { status: 0 };
}
