/**
 * A static file server for a built site, as any static host would serve it: `/x/` serves
 * `x/index.html`, and a missing file answers 404 with the site's own 404.html.
 *
 * With `{ prefix: '/postmortems/' }` it serves the site under that path, as a host serves a
 * project site (`https://acme.github.io/postmortems/`): `/postmortems/x/` is the site's `/x/`,
 * and a request outside the prefix answers 404 with no page of the site.
 *
 * With `{ gzip: true }` it also compresses text (html, css, js, json, svg, xml) for a client
 * that accepts gzip, as static hosts do; other files, Pagefind's already-compressed ones
 * among them, go out as they are. Every request is logged with the bytes of its body on the
 * wire, for measuring what a page fetched.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

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

/** What a static host compresses on the fly. */
const COMPRESSED = new Set(['.html', '.css', '.js', '.json', '.svg', '.xml']);

export interface SentRequest {
  path: string;
  status: number;
  type: string;
  /** `gzip` when the body was compressed, else `identity`. */
  encoding: 'gzip' | 'identity';
  /** Bytes of the body as sent (after compression). */
  bytes: number;
}

export interface Served {
  url: string;
  /** Bytes sent per path, for measuring what a page fetched. */
  sent: Map<string, number>;
  /** Every request in the order served; empty it to start a new measurement. */
  requests: SentRequest[];
  close(): Promise<void>;
}

export interface ServeOptions {
  /** Compress text types with gzip when the client accepts it (default false). */
  gzip?: boolean;
  /** The path the site is served under, with a leading and a trailing slash (default `/`). */
  prefix?: string;
  /** Port to listen on (default 0: any free one). */
  port?: number;
  /** Address to listen on (default 127.0.0.1, this machine only). */
  host?: string;
  /** Keep the log of requests (default true; a long-running preview does not). */
  record?: boolean;
}

export async function serve(root: string, { gzip = false, prefix = '/', port: wanted = 0, host = '127.0.0.1', record = true }: ServeOptions = {}): Promise<Served> {
  if (!prefix.startsWith('/') || !prefix.endsWith('/')) throw new Error(`A prefix starts and ends with a slash, like /postmortems/; not ${JSON.stringify(prefix)}.`);
  const sent = new Map<string, number>();
  const requests: SentRequest[] = [];
  /** Logs a request, when asked to. */
  const log = (request: SentRequest) => {
    if (!record) return;
    sent.set(request.path, (sent.get(request.path) ?? 0) + request.bytes);
    requests.push(request);
  };
  // A host compresses a file once, not on every request: keep what was compressed.
  const compressed = new Map<string, { mtime: number; body: Buffer }>();
  const server: Server = createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    if (!pathname.startsWith(prefix)) {
      const body = Buffer.from(`Not found: ${pathname} is outside ${prefix}\n`);
      log({ path: pathname, status: 404, type: 'text/plain; charset=utf-8', encoding: 'identity', bytes: body.length });
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': body.length });
      response.end(body);
      return;
    }
    let file = path.join(root, pathname.slice(prefix.length - 1));
    if (!file.startsWith(root)) file = path.join(root, '404.html');
    const found = await stat(file).catch(() => undefined);
    if (found?.isDirectory()) file = path.join(file, 'index.html');
    const ok = found && (await stat(file).catch(() => undefined))?.isFile();
    if (!ok) file = path.join(root, '404.html');
    const status = ok ? 200 : 404;
    const extension = path.extname(file);
    const type = TYPES[extension] ?? 'application/octet-stream';
    const accepts = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    if (gzip && accepts && COMPRESSED.has(extension)) {
      const info = await stat(file);
      let cached = compressed.get(file);
      if (!cached || cached.mtime !== info.mtimeMs) {
        cached = { mtime: info.mtimeMs, body: gzipSync(await readFile(file)) };
        compressed.set(file, cached);
      }
      const size = cached.body.length;
      log({ path: pathname, status, type, encoding: 'gzip', bytes: size });
      response.writeHead(status, { 'content-type': type, 'content-length': size, 'content-encoding': 'gzip', vary: 'Accept-Encoding' });
      response.end(cached.body);
      return;
    }
    const size = (await stat(file)).size;
    log({ path: pathname, status, type, encoding: 'identity', bytes: size });
    response.writeHead(status, { 'content-type': type, 'content-length': size });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(wanted, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`,
    sent,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
