/**
 * Memgraph HA's command-line flags, another way to say what the settings say:
 * `--server_id`, `--coordination_config_file` (`[[id, "ip", rpc_port], ...]`, ids exactly 1..N),
 * `--raft_config_file` (timeouts in milliseconds), `--port` / `--bolt-port`, `--interface`.
 * gflags accepts `-` and `_` alike, and `--flag=value` or `--flag value`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, InvalidSettingValue } from './config-error.js';
import type { ConfigDraft } from './config-draft.js';
import type { RaftMember } from './quiver-config.js';
import { parsePartialAddress, type SocketAddress } from './socket-address.js';
import { parseInteger } from './value-parsers.js';

const CONFIG_FILE_BYTES_MAX = 1024 * 1024;
const MEMBERS_MAX = 99;
const ORIGIN = 'command line';

export interface Flag {
  readonly name: string;
  readonly value: string;
}

export function splitFlags(argv: readonly string[]): Flag[] {
  const flags: Flag[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    const match = /^--?([A-Za-z][\w-]*)(?:=(.*))?$/s.exec(arg);
    if (match === null) {
      throw new ConfigError(`Unexpected argument '${arg}'`, null, ORIGIN);
    }
    const name = (match[1] ?? '').replace(/-/g, '_');
    let value = match[2];
    if (value === undefined) {
      value = argv[index + 1];
      if (value === undefined) throw new ConfigError(`Flag --${name} needs a value`, name, ORIGIN);
      index += 1;
    }
    flags.push({ name, value });
  }
  return flags;
}

function readJson(file: string, describe: (reason: string) => string): unknown {
  let text: string;
  try {
    if (fs.statSync(file).size > CONFIG_FILE_BYTES_MAX) throw new Error('too large');
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new InvalidSettingValue(describe(`file (${file}) doesn't exist`));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidSettingValue(describe('invalid json'));
  }
}

function coordinationMember(element: unknown, fail: (reason: string) => never): RaftMember {
  if (!Array.isArray(element)) fail('element not an array');
  if (element.length !== 3) fail('invalid number of subelements');
  const [id, host, port] = element as unknown[];
  if (typeof id !== 'number' || !Number.isInteger(id) || typeof host !== 'string' ||
    typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) {
    fail('subelement data is invalid');
  }
  return { id, raftAddress: { host, port } };
}

export function readCoordinationFile(file: string): RaftMember[] {
  const describe = (reason: string) =>
    `Unable to parse raft coordination config file: ${reason}!`;
  const fail = (reason: string): never => {
    throw new InvalidSettingValue(describe(reason));
  };
  const json = readJson(file, describe);
  if (!Array.isArray(json)) fail('not an array');
  const list = json as unknown[];
  if (list.length > MEMBERS_MAX) fail(`more than ${MEMBERS_MAX} members`);
  const members = list.map((element) => coordinationMember(element, fail));
  for (let id = 1; id <= members.length; id += 1) {
    if (!members.some((member) => member.id === id)) fail(`missing endpoint for node ${id}`);
  }
  return members.sort((a, b) => a.id - b.id);
}

const RAFT_KEYS = ['election_timeout_min', 'election_timeout_max', 'heartbeat_interval',
  'replication_timeout', 'log_size_snapshot_threshold'] as const;

export function applyRaftConfigFile(draft: ConfigDraft, file: string): void {
  const describe = () => `Unable to parse raft config file ${file}`;
  const json = readJson(file, describe);
  if (typeof json !== 'object' || json === null) throw new InvalidSettingValue(describe());
  const values = new Map<string, number>();
  for (const key of RAFT_KEYS) {
    const value: unknown = (json as Record<string, unknown>)[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new InvalidSettingValue(describe());
    }
    values.set(key, value);
  }
  const read = (key: (typeof RAFT_KEYS)[number]) => Math.round(values.get(key) ?? 0);
  draft.electionTimeoutMsMin = read('election_timeout_min');
  draft.electionTimeoutMsMax = read('election_timeout_max');
  draft.heartbeatIntervalMs = read('heartbeat_interval');
  draft.replicationTimeoutMs = read('replication_timeout');
  const threshold = read('log_size_snapshot_threshold');
  draft.snapshotThresholdEntries = threshold < 0 ? null : threshold;
}

function applyFlag(draft: ConfigDraft, flag: Flag, cwd: string): void {
  const port = () => parseInteger(flag.value, { min: 0, max: 65_535 });
  switch (flag.name) {
    case 'server_id':
      draft.serverId = parseInteger(flag.value, { min: 1, max: 65_535 });
      return;
    case 'coordination_config_file':
      draft.raftMembers = readCoordinationFile(path.resolve(cwd, flag.value));
      return;
    case 'raft_config_file':
      applyRaftConfigFile(draft, path.resolve(cwd, flag.value));
      return;
    case 'port': case 'bolt_port':
      draft.listen.bolt = { host: draft.listen.bolt?.host ?? null, port: port() };
      return;
    case 'interface': case 'bolt_address':
      draft.listen.bolt = { host: parsePartialAddress(flag.value).host, port:
        draft.listen.bolt?.port ?? null };
      return;
    case 'durability_directory': case 'data_directory':
      draft.directories.data = path.resolve(cwd, flag.value);
      return;
    default:
      throw new ConfigError(`Unrecognized flag: --${flag.name}`, flag.name, ORIGIN);
  }
}

export function applyFlags(draft: ConfigDraft, argv: readonly string[], cwd: string): void {
  for (const flag of splitFlags(argv)) {
    try {
      applyFlag(draft, flag, cwd);
    } catch (thrown) {
      if (!(thrown instanceof InvalidSettingValue)) throw thrown;
      throw new ConfigError(`Invalid value for flag --${flag.name}: ${thrown.message}`,
        flag.name, ORIGIN);
    }
  }
  applyOwnRaftMember(draft);
}

/**
 * With a static member list this server's own Raft address comes from the list, and the group
 * forms once all listed members are there (votes need a majority of the static list).
 */
function applyOwnRaftMember(draft: ConfigDraft): void {
  if (draft.raftMembers.length === 0) return;
  draft.serverId ??= 1;
  const own = draft.raftMembers.find((member) => member.id === draft.serverId);
  if (own === undefined) {
    throw new ConfigError(`Server id ${draft.serverId} is not in the coordination config file`,
      'server_id', ORIGIN);
  }
  draft.listen.raft ??= { host: null, port: own.raftAddress.port };
  draft.advertised.raft ??= own.raftAddress;
  // Memgraph names one port per member; discovery listens on the port after it.
  const discoveryOf = (m: RaftMember): SocketAddress =>
    ({ host: m.raftAddress.host, port: m.raftAddress.port + 1 });
  draft.listen.discovery ??= { host: null, port: discoveryOf(own).port };
  draft.advertised.discovery ??= discoveryOf(own);
  if (draft.initialMembers.length === 0) draft.initialMembers = draft.raftMembers.map(discoveryOf);
  draft.formationCoreCountMin = draft.raftMembers.length;
  draft.runtimeCoreCountMin = Math.min(draft.runtimeCoreCountMin, draft.raftMembers.length);
}
