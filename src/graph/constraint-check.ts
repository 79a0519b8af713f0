/**
 * Constraint checks at commit. Returns one conflict key per unique value claimed, so two
 * concurrent transactions claiming the same value cannot both commit (see src/db/commit-gate.ts).
 */
import { QuiverError } from '../errors/quiver-error.js';
import { formatForMessage, propertyIndexKey } from './property-codec.js';
import type { ConstraintDescriptor, NodeId } from './types.js';
import type { WriteTx } from './write-tx.js';

export function validateConstraints(tx: WriteTx, constraints: readonly ConstraintDescriptor[]): string[] {
  const nodeRules = constraints.filter((c) => c.entity === 'NODE');
  if (nodeRules.length === 0) return [];
  const keys: string[] = [];
  const created = new Set(tx.constraints().filter((c) => !tx.base.constraints()
    .some((b) => b.name === c.name)).map((c) => c.name));
  for (const c of nodeRules) {
    const ids = created.has(c.name) ? tx.nodesByLabel(c.labelOrType) : changedWithLabel(tx, c);
    for (const id of ids) {
      const key = checkNode(tx, c, id, created.has(c.name));
      if (key) keys.push(key);
    }
  }
  return keys;
}

function* changedWithLabel(tx: WriteTx, c: ConstraintDescriptor): Iterable<NodeId> {
  for (const [id, d] of tx.nodeDrafts) if (d?.labels.has(c.labelOrType)) yield id;
}

function checkNode(tx: WriteTx, c: ConstraintDescriptor, id: NodeId, creating: boolean): string | null {
  const values = c.properties.map((p) => tx.nodeProperty(id, p));
  const fail = (message: string): never => {
    if (creating) {
      throw new QuiverError('ConstraintCreationFailed',
        `Unable to create Constraint( name='${c.name}', type='${c.kind}' ): ${message}`);
    }
    throw new QuiverError('ConstraintValidationFailed', message);
  };
  if (c.kind === 'NODE_KEY' || c.kind === 'NODE_PROPERTY_EXISTENCE') {
    const missing = c.properties.filter((_, i) => values[i] === null);
    if (missing.length > 0) {
      fail(`Node(${id}) with label \`${c.labelOrType}\` must have the ` +
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
      fail(`Node(${other}) already exists with label \`${c.labelOrType}\` and ` +
        `${c.properties.length > 1 ? 'properties' : 'property'} ${shown.join(', ')}`);
    }
  }
  return `u:${c.name}:${valueKey}`;
}
