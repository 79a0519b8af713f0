/**
 * The tests' own PackStream encoder and framing, written from the spec and independent of the
 * writer under test, so fixtures do not merely echo the implementation.
 */
export type WireValue =
  | null | boolean | bigint | number | string | Uint8Array | WireValue[]
  | { readonly [key: string]: WireValue } | WireStruct;

export class WireStruct {
  constructor(readonly tag: number, readonly fields: WireValue[]) {}
}

function sizeHeader(size: number, tiny: number, marker8: number): number[] {
  if (size < 16) return [tiny + size];
  if (size < 0x100) return [marker8, size];
  if (size < 0x10000) return [marker8 + 1, size >> 8, size & 0xff];
  return [marker8 + 2, (size >>> 24) & 0xff, (size >> 16) & 0xff, (size >> 8) & 0xff, size & 0xff];
}

function int(value: bigint): number[] {
  if (value >= -16n && value <= 127n) return [Number(value) & 0xff];
  const bytes = (count: number): number[] => {
    const out: number[] = [];
    for (let i = count - 1; i >= 0; i--) out.push(Number((value >> BigInt(8 * i)) & 0xffn));
    return out;
  };
  if (value >= -128n && value <= 127n) return [0xc8, ...bytes(1)];
  if (value >= -32768n && value <= 32767n) return [0xc9, ...bytes(2)];
  if (value >= -(2n ** 31n) && value < 2n ** 31n) return [0xca, ...bytes(4)];
  return [0xcb, ...bytes(8)];
}

export function pack(value: WireValue): number[] {
  if (value === null) return [0xc0];
  if (value === true) return [0xc3];
  if (value === false) return [0xc2];
  if (typeof value === 'bigint') return int(value);
  if (typeof value === 'number') {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, value);
    return [0xc1, ...new Uint8Array(view.buffer)];
  }
  if (typeof value === 'string') {
    const utf8 = [...Buffer.from(value, 'utf8')];
    return [...sizeHeader(utf8.length, 0x80, 0xd0), ...utf8];
  }
  if (value instanceof Uint8Array) return [0xcc, value.length, ...value];
  if (Array.isArray(value)) {
    return [...sizeHeader(value.length, 0x90, 0xd4), ...value.flatMap(pack)];
  }
  if (value instanceof WireStruct) {
    return [0xb0 + value.fields.length, value.tag, ...value.fields.flatMap(pack)];
  }
  const entries = Object.entries(value);
  return [...sizeHeader(entries.length, 0xa0, 0xd8),
    ...entries.flatMap(([key, item]) => [...pack(key), ...pack(item)])];
}

/** One message as chunks of at most `chunkBytes`, then the `00 00` end marker. */
export function frame(body: number[], chunkBytes = 0xffff): number[] {
  const out: number[] = [];
  for (let at = 0; at < body.length; at += chunkBytes) {
    const chunk = body.slice(at, at + chunkBytes);
    out.push(chunk.length >> 8, chunk.length & 0xff, ...chunk);
  }
  out.push(0, 0);
  return out;
}

export function message(signature: number, ...fields: WireValue[]): number[] {
  return frame(pack(new WireStruct(signature, fields)));
}

export const msg = {
  hello: (extra: { [key: string]: WireValue }) => message(0x01, extra),
  logon: (auth: { [key: string]: WireValue }) => message(0x6a, auth),
  logoff: () => message(0x6b),
  goodbye: () => message(0x02),
  reset: () => message(0x0f),
  run: (query: string, params: { [key: string]: WireValue } = {},
    extra: { [key: string]: WireValue } = {}) => message(0x10, query, params, extra),
  begin: (extra: { [key: string]: WireValue } = {}) => message(0x11, extra),
  commit: () => message(0x12),
  rollback: () => message(0x13),
  pull: (n: bigint, qid?: bigint) => message(0x3f, qid === undefined ? { n } : { n, qid }),
  discard: (n: bigint, qid?: bigint) => message(0x2f, qid === undefined ? { n } : { n, qid }),
  pullAll: () => message(0x3f),
  discardAll: () => message(0x2f),
  route: (routing: { [key: string]: WireValue }, bookmarks: string[], third: WireValue) =>
    message(0x66, routing, bookmarks, third),
  telemetry: (api: bigint) => message(0x54, api),
};

export function hex(text: string): number[] {
  return text.trim().split(/\s+/).filter((b) => b.length > 0).map((b) => parseInt(b, 16));
}
