/**
 * What the console says when something fails: the Neo4j status code when the server sent one,
 * and a sentence a person can act on for the failures a login meets most.
 */

export interface ShownError {
  readonly code: string;
  readonly message: string;
}

function field(error: unknown, name: string): string {
  if (typeof error !== 'object' || error === null) return '';
  const value = (error as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

export function describeError(error: unknown, context: { readonly url?: string } = {}):
  ShownError {
  const code = field(error, 'code');
  const message = field(error, 'message') || String(error);
  switch (code) {
    case 'Neo.ClientError.Security.Unauthorized':
      return { code, message: 'Wrong user name or password.' };
    case 'Neo.ClientError.Security.AuthenticationRateLimit':
      return { code, message: 'Too many failed logins: wait a few seconds and try again.' };
    case 'ServiceUnavailable':
      return { code, message: `Cannot reach the server${context.url ? ` at ${context.url}` : ''}` +
        `: is it running, and is its Bolt port open to this browser? (${message})` };
    case 'SessionExpired':
    case 'Neo.ClientError.Cluster.NotALeader':
    case 'Neo.TransientError.Cluster.NotALeader':
      return { code, message: `No leader can take this write right now: ${message}` };
    default:
      return { code: code || 'Error', message };
  }
}
