import { QuiverError, toQuiverError } from '../errors/quiver-error.js';
import type { Value } from '../graph/values.js';
import type { BoltAuth } from './backend.js';
import { atLeast, formatVersion } from './bolt-version.js';
import type { ConnectionContext } from './connection-context.js';
import type { Request } from './messages.js';
import { routingMetadata } from './response-metadata.js';
import { sessionFor } from './transaction-handlers.js';

type RequestOf<T extends Request['type']> = Extract<Request, { type: T }>;

/**
 * Authentication problems end the connection (the spec's HELLO/LOGON FAILURE → DEFUNCT), so
 * they are answered here rather than thrown to the generic FAILED path.
 */
async function authenticate(ctx: ConnectionContext, auth: BoltAuth): Promise<boolean> {
  try {
    ctx.auth = await ctx.backend.authenticate(auth, ctx.peer);
    return true;
  } catch (error) {
    ctx.fatal(toQuiverError(error));
    return false;
  }
}

export async function onHello(ctx: ConnectionContext, request: RequestOf<'HELLO'>): Promise<void> {
  ctx.userAgent = request.userAgent;
  const { version, features } = ctx.table;
  const authInHello = request.auth !== null;
  if (authInHello && !(await authenticate(ctx, request.auth))) return;
  const utcPatch = features.dateTime === 'utc-patch' && request.patchBolt.includes('utc');
  if (utcPatch) ctx.useUtcDateTime();
  const metadata = new Map<string, Value>([
    ['server', ctx.backend.serverAgent],
    ['connection_id', ctx.connectionId],
  ]);
  if (features.hints) metadata.set('hints', helloHints(ctx));
  if (utcPatch) metadata.set('patch_bolt', ['utc']);
  if (ctx.viaManifest && atLeast(version, 5, 7)) {
    metadata.set('protocol_version', formatVersion(version));
  }
  if (authInHello && ctx.auth?.credentialsExpired === true) {
    metadata.set('credentials_expired', true);
  }
  ctx.out.success(metadata);
  ctx.helloDone = true;
  ctx.state = authInHello ? 'READY' : 'AUTHENTICATION';
}

function helloHints(ctx: ConnectionContext): Map<string, Value> {
  const hints = new Map<string, Value>();
  if (ctx.hints.telemetry && atLeast(ctx.table.version, 5, 4)) hints.set('telemetry.enabled', true);
  return hints;
}

export async function onLogon(ctx: ConnectionContext, request: RequestOf<'LOGON'>): Promise<void> {
  if (!(await authenticate(ctx, request.auth))) return;
  const metadata = new Map<string, Value>();
  if (ctx.auth?.credentialsExpired === true) metadata.set('credentials_expired', true);
  ctx.out.success(metadata);
  ctx.state = 'READY';
}

export function onLogoff(ctx: ConnectionContext): Promise<void> {
  ctx.auth = null;
  ctx.out.success();
  ctx.state = 'AUTHENTICATION';
  return Promise.resolve();
}

export function onTelemetry(ctx: ConnectionContext): Promise<void> {
  // Usage statistics are the driver's; we accept them and keep nothing.
  ctx.out.success();
  return Promise.resolve();
}

export async function onRoute(ctx: ConnectionContext, request: RequestOf<'ROUTE'>): Promise<void> {
  if (ctx.auth === null) throw new QuiverError('Unauthorized', 'ROUTE before authentication');
  const table = await ctx.backend.route({
    session: sessionFor(ctx, request.impersonatedUser),
    routingContext: request.routing,
    database: request.database,
    bookmarks: request.bookmarks,
  });
  ctx.out.success(routingMetadata(table, atLeast(ctx.table.version, 4, 4)));
}
