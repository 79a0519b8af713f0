/**
 * Constraint checks at commit. Returns one conflict key per unique value claimed, so two
 * concurrent transactions claiming the same value cannot both commit (see src/db/commit-gate.ts).
 */
import { QuiverError } from '../errors/quiver-error.js';
import { formatForMessage, propertyIndexKey } from './property-codec.js';
import type { ConstraintDescriptor, NodeId } from './types.js';
import type { WriteTx } from './write-tx.js';

export function validateConstraints(tx: WriteTx, constraints: readonly ConstraintDescriptor[]):
  string[] {
  const keys: string[] = [];
  let created: ReadonlySet<string> | null = null;
  for (const c of constraints) {
    if (c.entity !== 'NODE') continue;
    created ??= constraintsCreatedBy(tx);
    const creating = created.has(c.name);
    const ids = creating ? tx.nodesByLabel(c.labelOrType) : changedWithLabel(tx, c);
    for (const id of ids) {
      const key = checkNode(tx, c, id, creating);
      if (key !== null) keys.push(key);
    }
  }
  return keys;
}

/** Constraints this transaction creates: their check covers every node, not only changed ones. */
function constraintsCreatedBy(tx: WriteTx): ReadonlySet<string> {
  const before = new Set(tx.base.constraints().map((b) => b.name));
  const created = new Set<string>();
  for (const c of tx.constraints()) if (!before.has(c.name)) created.add(c.name);
  return created;
}

function* changedWithLabel(tx: WriteTx, c: ConstraintDescriptor): Iterable<NodeId> {
  for (const [id, d] of tx.nodeDrafts) if (d?.labels.has(c.labelOrType)) yield id;
}

function checkNode(tx: WriteTx, c: ConstraintDescriptor, id: NodeId, creating: boolean):
  string | null {
  const values = c.properties.map((p) => tx.nodeProperty(id, p));
  if (c.kind === 'NODE_KEY' || c.kind === 'NODE_PROPERTY_EXISTENCE') {
    const missing = c.properties.filter((_, i) => values[i] === null);
    if (missing.length > 0) {
      throw violation(c, creating, `Node(${id}) with label \`${c.labelOrType}\` must have the ` +
        `${missing.length > 1 ? 'properties' : 'property'} \`${missing.join('`, `')}\``);
    }
  }
  if (c.kind !== 'UNIQUENESS' && c.kind !== 'NODE_KEY') return null;
  if (values.some((v) => v === null)) return null;
  const valueKey = values.map((v) => propertyIndexKey(v!)).join('\0');
  const seek = c.properties.length === 1
    ? tx.seekNodes(c.labelOrType, c.properties[0]!, values[0]!) : null;
  for (const other of seek ?? tx.nodesByLabel(c.labelOrType)) {
    if (other === id) continue;
    const otherKey = c.properties.map((p) => tx.nodeProperty(other, p));
    if (otherKey.some((v) => v === null)) continue;
    if (otherKey.map((v) => propertyIndexKey(v!)).join('\0') === valueKey) {
      const shown = c.properties.map((p, i) => `\`${p}\` = ${formatForMessage(values[i]!)}`);
      throw violation(c, creating, `Node(${other}) already exists with label ` +
        `\`${c.labelOrType}\` and ${c.properties.length > 1 ? 'properties' : 'property'} ` +
        shown.join(', '));
    }
  }
  return `u:${c.name}:${valueKey}`;
}

/** A module function, not a closure per checked node: this runs for every node a commit writes. */
function violation(c: ConstraintDescriptor, creating: boolean, message: string): QuiverError {
  if (creating) {
    return new QuiverError('ConstraintCreationFailed',
      `Unable to create Constraint( name='${c.name}', type='${c.kind}' ): ${message}`);
  }
  return new QuiverError('ConstraintValidationFailed', message);
}
