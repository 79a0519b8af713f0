/**
 * Who may call which procedure: EXECUTE PROCEDURE privileges by name glob, and the procedures
 * Neo4j marks admin, which also need EXECUTE ADMIN PROCEDURES (admin holds it through ALL DBMS
 * PRIVILEGES) or EXECUTE BOOSTED PROCEDURE on their name.
 */
import { QuiverError } from '../errors/quiver-error.js';
import { globMatches, type PrivilegeSet } from './privilege-set.js';

/** Neo4j's admin procedures among those QuiverDB has or accepts, as name globs. */
const ADMIN_PROCEDURES: readonly string[] = ['dbms.listConfig', 'dbms.setConfigValue',
  'dbms.security.*', 'dbms.cluster.removeMember'];

/** Procedures every user may call on themselves, although their namespace is admin's. */
const OWN_ACCOUNT_PROCEDURES: readonly string[] = ['dbms.security.changePassword'];

export function isAdminProcedure(name: string): boolean {
  return !OWN_ACCOUNT_PROCEDURES.includes(name) &&
    ADMIN_PROCEDURES.some((glob) => globMatches(glob, name));
}

/** Throws Neo4j's Forbidden when `rules` (the privileges of `user`) do not allow the call. */
export function checkProcedureAccess(rules: PrivilegeSet, user: string, name: string): void {
  const admin = isAdminProcedure(name);
  if (rules.mayExecuteProcedure(name, admin)) return;
  throw new QuiverError('Forbidden', `Executing ${admin ? 'admin ' : ''}procedure is not ` +
    `allowed for user '${user}' with roles [${rules.roles.join(', ')}].`);
}
