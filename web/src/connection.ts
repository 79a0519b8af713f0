/**
 * The console's one Bolt connection: the official driver's browser build, which speaks Bolt
 * inside WebSocket frames to the member's Bolt port. Logging in probes with a query, because
 * an expired password is only refused when a statement runs, not at HELLO.
 */
import neo4j, { type Driver, type QueryResult } from 'neo4j-driver';

export type LoginOutcome =
  | { readonly kind: 'connected'; readonly connection: Connection }
  | { readonly kind: 'password-change-required'; readonly connection: Connection };

const CONNECTION_TIMEOUT_MS = 5000;
const CREDENTIALS_EXPIRED = 'Neo.ClientError.Security.CredentialsExpired';

export class Connection {
  private constructor(private readonly driver: Driver, readonly url: string,
    readonly user: string, private readonly password: string) {}

  static async login(url: string, user: string, password: string): Promise<LoginOutcome> {
    const driver = neo4j.driver(url, neo4j.auth.basic(user, password), {
      connectionTimeout: CONNECTION_TIMEOUT_MS, disableLosslessIntegers: true,
      userAgent: 'quiver-console/1.0',
    });
    const connection = new Connection(driver, url, user, password);
    try {
      await driver.verifyConnectivity();
      await connection.run('RETURN 1');
      return { kind: 'connected', connection };
    } catch (error) {
      if (codeOf(error) === CREDENTIALS_EXPIRED) {
        return { kind: 'password-change-required', connection };
      }
      await driver.close();
      throw error;
    }
  }

  /** Changes the password, then logs in again with it; the old connection is closed. */
  async changePassword(newPassword: string): Promise<Connection> {
    await this.run('ALTER CURRENT USER SET PASSWORD FROM $old TO $new',
      { old: this.password, new: newPassword }, 'system');
    await this.close();
    const outcome = await Connection.login(this.url, this.user, newPassword);
    return outcome.connection;
  }

  async run(query: string, params: Record<string, unknown> = {}, database?: string):
    Promise<QueryResult> {
    const session = this.driver.session(database === undefined ? {} : { database });
    try {
      return await session.run(query, params);
    } finally {
      await session.close();
    }
  }

  /** Credentials for the HTTP status endpoints, which share the database's users. */
  basicAuthHeader(): string {
    const bytes = new TextEncoder().encode(`${this.user}:${this.password}`);
    return `Basic ${btoa(String.fromCharCode(...bytes))}`;
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}

export function codeOf(error: unknown): string {
  if (typeof error !== 'object' || error === null || !('code' in error)) return '';
  return typeof error.code === 'string' ? error.code : '';
}
