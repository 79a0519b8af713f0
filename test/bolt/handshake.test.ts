import { describe, expect, it } from 'vitest';
import { boltVersion } from '../../src/bolt/bolt-version.js';
import { manifestOffer, readHandshake, readManifestChoice } from '../../src/bolt/handshake.js';
import { SUPPORTED_VERSIONS } from '../../src/bolt/versions/index.js';
import { hex } from './wire.js';

const MAGIC = '60 60 B0 17';

function reply(proposals: string): unknown {
  const step = readHandshake(Uint8Array.from(hex(`${MAGIC} ${proposals}`)), SUPPORTED_VERSIONS);
  return 'reply' in step ? [...step.reply] : step.kind;
}

describe('handshake', () => {
  it.each([
    ['neo4j-driver 1.7', '00 00 00 03 00 00 00 02 00 00 00 01 00 00 00 00', '00 00 00 03'],
    ['neo4j-driver 4.4', '00 02 04 04 00 00 01 04 00 00 00 04 00 00 00 03', '00 00 04 04'],
    ['neo4j-driver 5.0', '00 00 00 05 00 02 04 04 00 00 01 04 00 00 00 03', '00 00 00 05'],
    ['neo4j-driver 5.22 (5.5 is never chosen)', '00 05 05 05 00 02 04 04 00 00 01 04 00 00 00 03',
      '00 00 04 05'],
    ['neo4j-driver 5.26', '00 07 07 05 00 02 04 04 00 00 01 04 00 00 00 03', '00 00 07 05'],
    ['a client offering only 4.1', '00 00 01 04 00 00 00 00 00 00 00 00 00 00 00 00',
      '00 00 01 04'],
    ['a client offering only 9.0', '00 00 00 09 00 00 00 00 00 00 00 00 00 00 00 00',
      '00 00 00 00'],
  ])('answers %s with the first proposal it can satisfy', (_client, proposals, expected) => {
    expect(reply(proposals)).toEqual(hex(expected));
  });

  it('waits for all 20 bytes, whatever way they arrive', () => {
    const all = hex(`${MAGIC} 00 02 04 04 00 00 00 00 00 00 00 00 00 00 00 00`);
    for (let cut = 0; cut < all.length; cut++) {
      expect(readHandshake(Uint8Array.from(all.slice(0, cut)), SUPPORTED_VERSIONS).kind)
        .toBe('need-more');
    }
  });

  it('tells HTTP from garbage', () => {
    expect(readHandshake(Buffer.from('GET / HTTP/1.1\r\n'), SUPPORTED_VERSIONS).kind).toBe('http');
    expect(readHandshake(Uint8Array.from(hex('16 03 01 02')), SUPPORTED_VERSIONS).kind)
      .toBe('not-bolt');
  });

  it('offers every supported version as ranges in one manifest reply', () => {
    // 6.1-6.0, 5.8-5.6, 5.4-5.0, 4.4-4.0, 3.0; no capabilities.
    const expected = hex('00 00 01 FF 05  00 01 01 06  00 02 08 05  00 04 04 05  00 04 04 04' +
      '  00 00 00 03  00');
    expect([...manifestOffer(SUPPORTED_VERSIONS)]).toEqual(expected);
    expect(reply('00 00 01 FF 00 08 08 05 00 02 04 04 00 00 00 03')).toEqual(expected);
  });

  it('reads the client pick after a manifest, leaving the following HELLO bytes', () => {
    const bytes = Uint8Array.from(hex('00 00 04 05 00 00 02 B0'));
    expect(readManifestChoice(bytes, SUPPORTED_VERSIONS))
      .toEqual({ kind: 'agreed', version: boltVersion(5, 4), consumed: 5 });
    expect(readManifestChoice(Uint8Array.from(hex('00 00 04 05 80')), SUPPORTED_VERSIONS).kind)
      .toBe('need-more');
    expect(readManifestChoice(Uint8Array.from(hex('00 00 05 05 00')), SUPPORTED_VERSIONS).kind)
      .toBe('refused');
    expect(readManifestChoice(Uint8Array.from(hex('00 00 00 00 00')), SUPPORTED_VERSIONS).kind)
      .toBe('refused');
  });
});
