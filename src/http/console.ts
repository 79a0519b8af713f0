/**
 * Serves the web console, built by Vite into dist/web at `npm ci`/`npm run build` time, under
 * /browser/, and sends a browser that opens `/` there (drivers and scripts asking `/` for JSON
 * still get the discovery document). Also answers cross-origin requests the way Neo4j does by
 * default (`dbms.security.http_access_control_allow_origin=*`), because the console's cluster
 * view reads every member's status endpoint, and the other members are other origins.
 */
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONSOLE_PATH = '/browser/';
/** How far up from this module the package root (the folder with package.json) may be. */
const PACKAGE_ROOT_DEPTH_MAX = 6;
/** A request path longer than this is not a console file; refused before touching the disk. */
const CONSOLE_PATH_CHARS_MAX = 512;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * The page connects to Bolt (WebSocket) and status endpoints on any member, so connect-src is
 * open; scripts come only from this server. CodeMirror and Cytoscape set inline styles.
 */
const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; " +
  "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src *";

/** dist/web of the package this module belongs to, whether it runs from src/ or dist/src/. */
export function defaultConsoleDirectory(): string {
  let folder = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < PACKAGE_ROOT_DEPTH_MAX; depth += 1) {
    if (fs.existsSync(path.join(folder, 'package.json'))) return path.join(folder, 'dist', 'web');
    folder = path.dirname(folder);
  }
  return path.join(process.cwd(), 'dist', 'web');
}

function wantsHtml(request: IncomingMessage): boolean {
  return (request.headers.accept ?? '').split(',')
    .some((type) => type.trim().toLowerCase().startsWith('text/html'));
}

function send(response: ServerResponse, status: number, headers: Record<string, string>,
  body = ''): void {
  response.writeHead(status, { 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  response.end(body);
}

/** The file a console path names, or null when it would leave the console's folder. */
function resolveFile(directory: string, pathname: string): string | null {
  if (pathname.length > CONSOLE_PATH_CHARS_MAX) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(pathname.slice(CONSOLE_PATH.length));
  } catch {
    return null;
  }
  if (relative.includes('\0')) return null;
  const file = path.resolve(directory, relative === '' ? 'index.html' : relative);
  return file.startsWith(directory + path.sep) ? file : null;
}

async function sendFile(request: IncomingMessage, response: ServerResponse, directory: string,
  pathname: string): Promise<void> {
  const file = resolveFile(directory, pathname);
  const stat = file === null ? null : await fs.promises.stat(file).catch(() => null);
  if (file === null || stat === null || !stat.isFile()) {
    const hint = fs.existsSync(directory) ? '' : ' (the console is not built: npm run build)';
    send(response, 404, { 'Content-Type': 'text/plain; charset=utf-8' },
      `No console file at ${pathname}${hint}\n`);
    return;
  }
  const body = await fs.promises.readFile(file);
  // Vite names assets by content hash, so they never change; index.html names the current ones.
  const immutable = pathname.startsWith(`${CONSOLE_PATH}assets/`);
  response.writeHead(200, {
    'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Content-Length': String(body.length),
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** Neo4j's defaults: any origin, the methods and headers its HTTP API takes. */
function allowCrossOrigin(request: IncomingMessage, response: ServerResponse): boolean {
  if (request.headers.origin === undefined) return false;
  response.setHeader('Access-Control-Allow-Origin', '*');
  if (request.method !== 'OPTIONS') return false;
  send(response, 204, {
    'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept, Access-Mode',
    'Access-Control-Max-Age': '86400',
  });
  return true;
}

/**
 * Answers the request if it is the console's (or a CORS preflight) and returns true; returns
 * false, having at most added CORS headers, for every request the API routes must answer.
 */
export async function serveConsole(request: IncomingMessage, response: ServerResponse,
  pathname: string, directory: string = defaultConsoleDirectory()): Promise<boolean> {
  if (allowCrossOrigin(request, response)) return true;
  const method = request.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (pathname === '/' && wantsHtml(request)) {
    send(response, 303, { Location: CONSOLE_PATH });
    return true;
  }
  if (pathname === '/browser') {
    send(response, 301, { Location: CONSOLE_PATH });
    return true;
  }
  if (!pathname.startsWith(CONSOLE_PATH)) return false;
  try {
    await sendFile(request, response, path.resolve(directory), pathname);
  } catch {
    if (!response.headersSent) send(response, 500, {}, '');
    else response.destroy();
  }
  return true;
}
