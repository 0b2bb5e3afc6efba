// A static server on 127.0.0.1 for the runner page: a few URL prefixes,
// each mapped to one directory, nothing outside them.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
};

/**
 * @param {Record<string, string | string[]>} mounts URL prefix ('/app/') to directory, or to directories tried in order
 * @param {{port?: number, pages?: Record<string, string>, headers?: Record<string, string>, events?: string}} options
 *   `pages`: exact paths served from memory; `headers`: sent with every page and file;
 *   `events`: a path where pages listen (server-sent events) for what `server.broadcast(name, data)` sends
 * @returns {Promise<import('node:http').Server & {broadcast: (name: string, data?: unknown) => void}>}
 */
export function serveDirectories(mounts, { port = 0, pages = {}, headers = {}, events } = {}) {
  const listeners = new Set();
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (events && path === events) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': listening\n\n');
      listeners.add(res);
      req.on('close', () => listeners.delete(res));
      return;
    }
    if (path in pages) {
      res.writeHead(200, { ...headers, 'content-type': TYPES['.html'], 'cache-control': 'no-store' }).end(pages[path]);
      return;
    }
    const prefix = Object.keys(mounts).find((p) => path.startsWith(p));
    for (const mount of prefix ? [mounts[prefix]].flat() : []) {
      const dir = resolve(mount);
      const file = normalize(join(dir, path.slice(prefix.length)));
      if (!file.startsWith(dir + sep)) break;
      try {
        const body = await readFile(file);
        res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
        res.end(body);
        return;
      } catch {
        // Not in this directory: the next one, if any.
      }
    }
    res.writeHead(404).end('not found');
  });
  server.broadcast = (name, data = null) => {
    for (const res of listeners) res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  // Open event streams would keep close() waiting.
  const close = server.close.bind(server);
  server.close = (callback) => {
    for (const res of listeners) res.end();
    listeners.clear();
    return close(callback);
  };
  return new Promise((resolve, reject) => {
    server.once('error', (error) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new UsageError(`port ${port} is in use: choose another with --port, or 0 for any free port`)
          : error,
      );
    });
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** A problem the person running the command can fix: printed as one sentence, no stack. */
export class UsageError extends Error {}
