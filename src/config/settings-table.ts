/**
 * The one table of every setting QuiverDB reads, looked up by any of its names.
 * docs/configuration.md lists them for people.
 */
import { assert } from '../assert.js';
import { CLUSTER_SETTINGS } from './settings/cluster-settings.js';
import { CONNECTOR_SETTINGS } from './settings/connector-settings.js';
import { DBMS_SETTINGS } from './settings/dbms-settings.js';
import type { Setting } from './settings/define-setting.js';

export const ALL_SETTINGS: readonly Setting[] = [
  ...CONNECTOR_SETTINGS, ...CLUSTER_SETTINGS, ...DBMS_SETTINGS,
];

function indexByName(settings: readonly Setting[]): ReadonlyMap<string, Setting> {
  const byName = new Map<string, Setting>();
  for (const entry of settings) {
    for (const name of entry.names) {
      assert(!byName.has(name), `setting name declared twice: ${name}`);
      byName.set(name, entry);
    }
  }
  return byName;
}

const SETTINGS_BY_NAME = indexByName(ALL_SETTINGS);

export function findSetting(name: string): Setting | undefined {
  return SETTINGS_BY_NAME.get(name);
}
