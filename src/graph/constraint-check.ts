/**
 * Constraint checks at commit. Returns one conflict key per unique value claimed, so two
 * concurrent transactions claiming the same value cannot both commit (see src/db/commit-gate.ts).
 */
import { QuiverError } from '../errors/quiver-error.js';
import {
  formatForMessage, indexKeyText, propertyIndexKey, sameIndexKey,
} from './property-codec.js';
import type { ConstraintDescriptor, NodeId } from './types.js';
import type { PropertyValue } from './values.js';
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

const NONE_CREATED: ReadonlySet<string> = new Set();

/** Constraints this transaction creates: their check covers every node, not only changed ones. */
function constraintsCreatedBy(tx: WriteTx): ReadonlySet<string> {
  const now = tx.constraints();
  const base = tx.base.constraints();
  // The schema is untouched (the transaction holds the view's descriptors, as they are): the
  // case of every data commit, which then builds no sets.
  if (now.length === base.length && now.every((c, i) => c === base[i])) return NONE_CREATED;
  const before = new Set(base.map((b) => b.name));
  const created = new Set<string>();
  for (const c of now) if (!before.has(c.name)) created.add(c.name);
  return created;
}

function* changedWithLabel(tx: WriteTx, c: ConstraintDescriptor): Iterable<NodeId> {
  for (const [id, d] of tx.nodeDrafts) if (d?.labels.has(c.labelOrType)) yield id;
}

function checkNode(tx: WriteTx, c: ConstraintDescriptor, id: NodeId, creating: boolean):
  string | null {
  if (c.kind === 'UNIQUENESS' && c.properties.length === 1) {
    return checkUniqueProperty(tx, c, id, creating);
  }
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
  const valueKey = compositeKey(values as PropertyValue[]);
  const seek = c.properties.length === 1
    ? tx.seekNodes(c.labelOrType, c.properties[0]!, values[0]!) : null;
  for (const other of seek ?? tx.nodesByLabel(c.labelOrType)) {
    if (other === id) continue;
    const otherKey = c.properties.map((p) => tx.nodeProperty(other, p));
    if (otherKey.some((v) => v === null)) continue;
    if (compositeKey(otherKey as PropertyValue[]) === valueKey) {
      throw duplicate(c, creating, other, values as PropertyValue[]);
    }
  }
  return `u:${c.name}:${valueKey}`;
}

/**
 * checkNode for the common constraint, one property UNIQUE: the same check with one key
 * computed once and no arrays, since it runs for every node a commit writes.
 */
function checkUniqueProperty(tx: WriteTx, c: ConstraintDescriptor, id: NodeId,
  creating: boolean): string | null {
  const property = c.properties[0] as string;
  const value = tx.nodeProperty(id, property);
  if (value === null) return null;
  const valueKey = propertyIndexKey(value);
  const seek = tx.seekNodes(c.labelOrType, property, value);
  for (const other of seek ?? tx.nodesByLabel(c.labelOrType)) {
    if (other === id) continue;
    const otherValue = tx.nodeProperty(other, property);
    if (otherValue !== null && sameIndexKey(propertyIndexKey(otherValue), valueKey)) {
      throw duplicate(c, creating, other, [value]);
    }
  }
  return `u:${c.name}:${indexKeyText(valueKey)}`;
}

/**
 * The values of a composite constraint as one text: the keys' texts in a JSON array, so that
 * no two lists of values collide (joined with a separator, a string holding it could).
 */
function compositeKey(values: readonly PropertyValue[]): string {
  return JSON.stringify(values.map((v) => indexKeyText(propertyIndexKey(v))));
}

function duplicate(c: ConstraintDescriptor, creating: boolean, other: NodeId,
  values: readonly PropertyValue[]): QuiverError {
  const shown = c.properties.map((p, i) => `\`${p}\` = ${formatForMessage(values[i]!)}`);
  return violation(c, creating, `Node(${other}) already exists with label ` +
    `\`${c.labelOrType}\` and ${c.properties.length > 1 ? 'properties' : 'property'} ` +
    shown.join(', '));
}

/** A module function, not a closure per checked node: this runs for every node a commit writes. */
function violation(c: ConstraintDescriptor, creating: boolean, message: string): QuiverError {
  if (creating) {
    return new QuiverError('ConstraintCreationFailed',
      `Unable to create Constraint( name='${c.name}', type='${c.kind}' ): ${message}`);
  }
  return new QuiverError('ConstraintValidationFailed', message);
}
