import { QuiverError } from '../errors/quiver-error.js';
import type { Value } from '../graph/values.js';
import { formatVersion } from './bolt-version.js';
import type { Request } from './messages.js';
import { PackStreamDecodeError, PackStreamReader } from './packstream/reader.js';
import type { StructureHydrator } from './packstream/reader.js';
import { FIRST_VERSION_WITH, type VersionTable } from './versions/version-table.js';

export interface DecodeOptions {
  readonly table: VersionTable;
  readonly hydrate: StructureHydrator;
  readonly depthMax: number;
}

/**
 * One complete inbound message to a Request. Never throws on client bytes: anything wrong
 * becomes an INVALID request, fatal when the framing of the conversation cannot be trusted.
 */
export function decodeRequest(bytes: Uint8Array, options: DecodeOptions): Request {
  const reader = new PackStreamReader(bytes,
    { depthMax: options.depthMax, hydrate: options.hydrate });
  let header: { size: number; tag: number };
  try {
    header = reader.readStructHeader();
  } catch (error) {
    return invalidRequest(error, true);
  }
  const spec = options.table.requests.get(header.tag);
  if (spec === undefined) return unknownSignature(header.tag, options.table);
  if (header.size !== spec.fieldCount) {
    return fatal(`${spec.name} has ${spec.fieldCount} fields in Bolt ` +
      `${formatVersion(options.table.version)}, not ${header.size}`);
  }
  try {
    const fields: Value[] = [];
    for (let i = 0; i < header.size; i++) fields.push(reader.readValue(1));
    if (reader.remaining > 0) {
      return invalidRequest(new PackStreamDecodeError('InvalidFormat',
        `${reader.remaining} bytes follow the end of ${spec.name}`), false);
    }
    return spec.decode(fields);
  } catch (error) {
    return invalidRequest(error, false);
  }
}

function unknownSignature(tag: number, table: VersionTable): Request {
  const since = FIRST_VERSION_WITH.get(tag);
  const version = formatVersion(table.version);
  const hex = `0x${tag.toString(16).padStart(2, '0')}`;
  return fatal(since === undefined
    ? `Unknown message signature ${hex} in Bolt ${version}`
    : `Message ${hex} needs Bolt ${since} or later; this connection speaks Bolt ${version}`);
}

function fatal(message: string): Request {
  return { type: 'INVALID', error: new QuiverError('RequestInvalid', message), fatal: true };
}

function invalidRequest(error: unknown, isFatal: boolean): Request {
  if (error instanceof PackStreamDecodeError) {
    const quiverError = new QuiverError(error.codeName, error.message);
    return { type: 'INVALID', error: quiverError, fatal: isFatal };
  }
  // Anything else thrown while decoding is our bug; the connection cannot trust its state.
  const message = error instanceof Error ? error.message : String(error);
  return { type: 'INVALID', error: new QuiverError('UnknownError', message), fatal: true };
}
