/**
 * Where each server listens and what it advertises: Bolt, HTTP, backup and the cluster's
 * discovery / transaction (catchup) / raft endpoints, under their 3.5, 4.x and 5.x names.
 */
import { InvalidSettingValue } from '../config-error.js';
import { parseBoolean } from '../value-parsers.js';
import { parsePartialAddress, type PartialAddress } from '../socket-address.js';
import { advertisedAddress, listenAddress, setting, type Setting } from './define-setting.js';

function hostOnly(raw: string): string {
  const { host } = parsePartialAddress(raw);
  if (host === null) throw new InvalidSettingValue(`'${raw}' needs a host name`);
  return host;
}

/** 3.5's backup address is a port range (`127.0.0.1:6362-6372`); the first port is used. */
function backupAddress(raw: string): PartialAddress {
  return parsePartialAddress(raw.replace(/:(\d+)-\d+$/, ':$1'));
}

export const CONNECTOR_SETTINGS: readonly Setting[] = [
  setting(['dbms.default_listen_address', 'dbms.connectors.default_listen_address',
    'server.default_listen_address'], hostOnly, (draft, host) => {
    draft.defaultListenHost = host;
  }),
  setting(['dbms.default_advertised_address', 'dbms.connectors.default_advertised_address',
    'server.default_advertised_address'], hostOnly, (draft, host) => {
    if (host === '0.0.0.0') {
      throw new InvalidSettingValue('an advertised address cannot be 0.0.0.0');
    }
    draft.defaultAdvertisedHost = host;
  }),
  listenAddress(['dbms.connector.bolt.listen_address', 'server.bolt.listen_address'], 'bolt'),
  advertisedAddress(['dbms.connector.bolt.advertised_address', 'server.bolt.advertised_address'],
    'bolt'),
  setting(['dbms.connector.bolt.enabled', 'server.bolt.enabled'], parseBoolean, (draft, on) => {
    draft.enabled.bolt = on;
  }),
  listenAddress(['dbms.connector.http.listen_address', 'server.http.listen_address'], 'http'),
  advertisedAddress(['dbms.connector.http.advertised_address', 'server.http.advertised_address'],
    'http'),
  setting(['dbms.connector.http.enabled', 'server.http.enabled'], parseBoolean, (draft, on) => {
    draft.enabled.http = on;
  }),
  setting(['dbms.connector.https.enabled', 'server.https.enabled'], parseBoolean, (draft, on) => {
    draft.enabled.https = on;
  }),
  listenAddress(['dbms.connector.https.listen_address', 'server.https.listen_address'], 'https'),
  advertisedAddress(['dbms.connector.https.advertised_address',
    'server.https.advertised_address'], 'https'),
  setting(['dbms.backup.enabled', 'server.backup.enabled'], parseBoolean, (draft, on) => {
    draft.enabled.backup = on;
  }),
  setting(['dbms.backup.listen_address', 'dbms.backup.address', 'server.backup.listen_address'],
    backupAddress, (draft, address) => {
      draft.listen.backup = address;
    }),
  listenAddress(['causal_clustering.discovery_listen_address', 'server.discovery.listen_address'],
    'discovery'),
  advertisedAddress(['causal_clustering.discovery_advertised_address',
    'server.discovery.advertised_address'], 'discovery'),
  listenAddress(['causal_clustering.transaction_listen_address', 'server.cluster.listen_address'],
    'transaction'),
  advertisedAddress(['causal_clustering.transaction_advertised_address',
    'server.cluster.advertised_address'], 'transaction'),
  listenAddress(['causal_clustering.raft_listen_address', 'server.cluster.raft.listen_address'],
    'raft'),
  advertisedAddress(['causal_clustering.raft_advertised_address',
    'server.cluster.raft.advertised_address'], 'raft'),
];
