/**
 * How one row of the settings table is declared: the names it answers to (Neo4j 3.5, 4.x, 5.x,
 * HA, legacy aliases; the first is the one documented) and how a raw string becomes a change to
 * the draft. Parsing happens when the setting is read, so a bad value is reported with its
 * origin; applying happens in precedence order.
 */
import type { ConfigDraft, Endpoint } from '../config-draft.js';
import { parsePartialAddress } from '../socket-address.js';

export type ApplySetting = (draft: ConfigDraft) => void;

export interface Setting {
  readonly names: readonly string[];
  /** `name` is the spelling the operator used, for warnings. */
  parse(raw: string, name: string): ApplySetting;
}

export function setting<T>(
  names: readonly string[],
  parse: (raw: string) => T,
  apply: (draft: ConfigDraft, value: T) => void,
): Setting {
  return {
    names,
    parse(raw) {
      const value = parse(raw);
      return (draft) => apply(draft, value);
    },
  };
}

/** Neo4j settings that mean nothing here (JVM, Windows service...): accepted with a warning. */
export function ignoredSetting(names: readonly string[], reason: string): Setting {
  return {
    names,
    parse(_raw, name) {
      return (draft) => draft.warnings.push(`${name} has no effect in QuiverDB: ${reason}`);
    },
  };
}

export function listenAddress(names: readonly string[], endpoint: Endpoint): Setting {
  return setting(names, parsePartialAddress, (draft, value) => {
    draft.listen[endpoint] = value;
  });
}

export function advertisedAddress(names: readonly string[], endpoint: Endpoint): Setting {
  return setting(names, parsePartialAddress, (draft, value) => {
    draft.advertised[endpoint] = value;
  });
}
