/**
 * HTTP basic authentication in front of every endpoint but discovery, answering as Neo4j does:
 * 401 with `WWW-Authenticate` when credentials are missing or wrong, 403 when the password must
 * be changed first.
 */
import type { IncomingMessage } from 'node:http';
import { QuiverError, toQuiverError } from '../errors/quiver-error.js';
import type { HttpBackend } from './http-backend.js';
import { peerOf } from '../security/member-channel.js';
import { HttpProblem } from './request-io.js';

const CHALLENGE = { 'WWW-Authenticate': 'Basic realm="Neo4j"' };

export function parseBasicAuth(header: string | undefined):
  { user: string; password: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (match === null) return null;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The authenticated user name; '' when auth is disabled. Throws HttpProblem otherwise. */
export async function authenticateRequest(request: IncomingMessage, backend: HttpBackend,
  authEnabled: boolean): Promise<string> {
  if (!authEnabled) return '';
  const credentials = parseBasicAuth(request.headers.authorization);
  if (credentials === null) {
    throw new HttpProblem(401, new QuiverError('Unauthorized',
      'No authentication header supplied.'), CHALLENGE);
  }
  let result: { user: string; credentialsExpired: boolean };
  try {
    result = await backend.authenticate(credentials.user, credentials.password,
      peerOf(request.socket));
  } catch (thrown) {
    const error = toQuiverError(thrown);
    if (error.code === 'Neo.ClientError.Security.Unauthorized') {
      throw new HttpProblem(401, error, CHALLENGE);
    }
    throw new HttpProblem(error.code.endsWith('.AuthenticationRateLimit') ? 429 : 500, error);
  }
  if (result.credentialsExpired) {
    throw new HttpProblem(403, new QuiverError('CredentialsExpired', 'Permission denied. The ' +
      'credentials you provided were valid, but must be changed before you can use this ' +
      'instance.'));
  }
  return result.user;
}
