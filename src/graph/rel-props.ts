/**
 * Compact storage of relationship properties that were never updated (see CreatedRelProps).
 */
import type { Props, RelPropsVersion } from './store.js';
import type { PropertyValue } from './values.js';

/**
 * A relationship's properties as created and not updated since: key ids and values alternating.
 * Most relationships never change, and a Map plus a version record for each would double the
 * memory of a large graph. The first update turns it into a RelPropsVersion chain.
 */
export type CreatedRelProps = readonly (number | PropertyValue)[];

export function isCreatedRelProps(p: RelPropsVersion | CreatedRelProps): p is CreatedRelProps {
  return Array.isArray(p);
}

/** The value of key id `key` in created properties, if there. */
export function createdRelProp(p: CreatedRelProps, key: number): PropertyValue | undefined {
  for (let i = 0; i < p.length; i += 2) if (p[i] === key) return p[i + 1] as PropertyValue;
  return undefined;
}

export function createdRelPropsMap(p: CreatedRelProps): Props {
  const m = new Map<number, PropertyValue>();
  for (let i = 0; i < p.length; i += 2) m.set(p[i] as number, p[i + 1] as PropertyValue);
  return m;
}

