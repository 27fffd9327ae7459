/**
 * A static file server for a built site, as any static host would serve it: `/x/` serves
 * `x/index.html`, and a missing file answers 404 with the site's own 404.html.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/atom+xml; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface Served {
  url: string;
  /** Bytes sent per path, for measuring what a page fetched. */
  sent: Map<string, number>;
  close(): Promise<void>;
}

export async function serve(root: string): Promise<Served> {
  const sent = new Map<string, number>();
  const server: Server = createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    let file = path.join(root, pathname);
    if (!file.startsWith(root)) file = path.join(root, '404.html');
    const found = await stat(file).catch(() => undefined);
    if (found?.isDirectory()) file = path.join(file, 'index.html');
    const ok = found && (await stat(file).catch(() => undefined))?.isFile();
    if (!ok) file = path.join(root, '404.html');
    const size = (await stat(file)).size;
    sent.set(pathname, (sent.get(pathname) ?? 0) + size);
    response.writeHead(ok ? 200 : 404, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-length': size });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, sent, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
