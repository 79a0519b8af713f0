/**
 * `quiver-admin set-initial-password PW` (3.5) / `quiver-admin dbms set-initial-password PW`
 * (5.x): leaves the password for user `neo4j` in `<data>/dbms/initial-password`, which the auth
 * layer reads on the first start, when no user store exists yet, and then deletes.
 * File format: one JSON object, `{"user":"neo4j","password":"…","requirePasswordChange":false}`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { QuiverConfig } from '../../config/quiver-config.js';

export const INITIAL_PASSWORD_FILE = path.join('dbms', 'initial-password');
/** The user store the auth layer keeps; its presence means the initial password is too late. */
export const AUTH_FILE = path.join('dbms', 'auth');
export const INITIAL_USER = 'neo4j';

export interface InitialPassword {
  readonly user: string;
  readonly password: string;
  readonly requirePasswordChange: boolean;
}

export type SetInitialPasswordOutcome =
  | { readonly kind: 'written'; readonly file: string }
  | { readonly kind: 'users-exist'; readonly authFile: string }
  | { readonly kind: 'invalid'; readonly reason: string };

export function setInitialPassword(config: QuiverConfig, args: {
  password: string; requirePasswordChange: boolean;
}): SetInitialPasswordOutcome {
  if (args.password === '') return { kind: 'invalid', reason: 'the password must not be empty' };
  const authFile = path.join(config.directories.data, AUTH_FILE);
  if (fs.existsSync(authFile)) return { kind: 'users-exist', authFile };
  const file = path.join(config.directories.data, INITIAL_PASSWORD_FILE);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const content: InitialPassword = {
    user: INITIAL_USER, password: args.password, requirePasswordChange: args.requirePasswordChange,
  };
  // Owner-only: the file holds a password in clear until the first start consumes it.
  fs.writeFileSync(file, `${JSON.stringify(content)}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return { kind: 'written', file };
}

/** Parses the file the auth layer reads; null when absent or not in the format above. */
export function readInitialPassword(dataDirectory: string): InitialPassword | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(path.join(dataDirectory, INITIAL_PASSWORD_FILE), 'utf8'));
  } catch {
    return null;
  }
  const value = parsed as Partial<Record<keyof InitialPassword, unknown>> | null;
  if (typeof value?.user !== 'string' || typeof value.password !== 'string' ||
    typeof value.requirePasswordChange !== 'boolean') return null;
  return { user: value.user, password: value.password,
    requirePasswordChange: value.requirePasswordChange };
}
