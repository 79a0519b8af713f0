/**
 * Reading request bodies (bounded) and writing JSON and text responses, with Neo4j's error
 * body shape `{"errors": [{"code", "message"}]}`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { QuiverError } from '../errors/quiver-error.js';
import type { Json } from './json-values.js';

/** A request body larger than this is refused before it is buffered further. */
export const REQUEST_BODY_BYTES_MAX = 16 * 1024 * 1024;

export class HttpProblem extends Error {
  override name = 'HttpProblem';

  constructor(readonly status: number, readonly error: QuiverError,
    readonly headers: Readonly<Record<string, string>> = {}) {
    super(error.message);
  }
}

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    bytes += buffer.length;
    if (bytes > REQUEST_BODY_BYTES_MAX) {
      throw new HttpProblem(413, new QuiverError('RequestInvalid',
        `The request body is larger than ${REQUEST_BODY_BYTES_MAX} bytes`));
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The body as a JSON object; an empty body is an empty object. */
export async function readJsonObject(request: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(request);
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (thrown) {
    throw new HttpProblem(400, new QuiverError('InvalidFormat',
      `Unable to deserialize request: ${thrown instanceof Error ? thrown.message : 'bad JSON'}`));
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpProblem(400, new QuiverError('InvalidFormat', 'Expected a JSON object'));
  }
  return parsed as Record<string, unknown>;
}

export function sendJson(response: ServerResponse, status: number, body: Json,
  headers: Readonly<Record<string, string>> = {}, contentType = 'application/json'): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': `${contentType}; charset=utf-8`,
    'Content-Length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

export function sendText(response: ServerResponse, status: number, text: string,
  contentType = 'text/plain'): void {
  response.writeHead(status, { 'Content-Type': `${contentType}; charset=utf-8`,
    'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

export function errorBody(error: QuiverError): Json {
  return { errors: [{ code: error.code, message: error.message }] };
}

/** HTTP status for an error outside the transactional endpoint (which always answers 200). */
export function statusForError(error: QuiverError): number {
  if (error.code === 'Neo.ClientError.Security.Unauthorized') return 401;
  if (error.code.startsWith('Neo.ClientError.Security.')) return 403;
  if (error.code === 'Neo.ClientError.Database.DatabaseNotFound' ||
    error.code === 'Neo.ClientError.Transaction.TransactionNotFound') return 404;
  if (error.code.startsWith('Neo.ClientError.')) return 400;
  if (error.code.startsWith('Neo.TransientError.')) return 503;
  return 500;
}
