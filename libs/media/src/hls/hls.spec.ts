import { createCipheriv, randomBytes } from 'node:crypto';
import { decryptHlsSegment, deriveMediaKeys, hlsIv, hlsSegmentCipher, unwrapKey, wrapKey } from './key-wrap';
import { mediaSequenceOf, rewritePlaylist, summarisePlaylist, withAes128KeyTag } from './playlist';
import { signQuery, verifySignature } from './url-signing';

const PLAYLIST = `#EXTM3U
#EXT-X-VERSION:3
#EXT-X-TARGETDURATION:6
#EXT-X-MEDIA-SEQUENCE:0
#EXT-X-PLAYLIST-TYPE:VOD
#EXT-X-KEY:METHOD=AES-128,URI="key",IV=0x00112233445566778899aabbccddeeff
#EXTINF:5.438767,
seg-00000.ts
#EXTINF:3.737067,
seg-00001.ts
#EXT-X-ENDLIST
`;

describe('playlist', () => {
  it('summarises segments, duration and encryption', () => {
    const s = summarisePlaylist(PLAYLIST);
    expect(s.segments.map((x) => x.name)).toEqual(['seg-00000.ts', 'seg-00001.ts']);
    expect(s.totalSeconds).toBeCloseTo(9.175834, 5);
    expect(s.encrypted).toBe(true);
  });
  it('rewrites the key URI and each segment, keeping the IV', () => {
    const out = rewritePlaylist(PLAYLIST, { key: () => '/k?sig=1', segment: (n) => `/s/${n}?sig=2` });
    expect(out).toContain('#EXT-X-KEY:METHOD=AES-128,URI="/k?sig=1",IV=0x00112233445566778899aabbccddeeff');
    expect(out).toContain('\n/s/seg-00000.ts?sig=2\n');
    expect(out).toContain('\n/s/seg-00001.ts?sig=2\n');
    expect(out).not.toMatch(/^seg-/m);
  });
  it('adds one AES-128 key tag without IV before the first segment, once', () => {
    const plain = PLAYLIST.replace(/#EXT-X-KEY:.*\n/, '').replace('MEDIA-SEQUENCE:0', 'MEDIA-SEQUENCE:7');
    const out = withAes128KeyTag(plain);
    expect(out.split('\n').filter((l) => l.startsWith('#EXT-X-KEY'))).toEqual(['#EXT-X-KEY:METHOD=AES-128,URI="key"']);
    expect(out.indexOf('#EXT-X-KEY')).toBeLessThan(out.indexOf('#EXTINF'));
    expect(mediaSequenceOf(out)).toBe(7);
    expect(summarisePlaylist(out).encrypted).toBe(true);
    expect(() => withAes128KeyTag(out)).toThrow();
    expect(() => withAes128KeyTag('#EXTM3U\n#EXT-X-ENDLIST\n')).toThrow();
  });
  it('refuses URIs it did not write', () => {
    expect(() => rewritePlaylist(PLAYLIST.replace('seg-00001.ts', 'https://evil/x.ts'), { key: () => '', segment: () => '' })).toThrow();
    expect(() => summarisePlaylist('hello')).toThrow();
  });
});

describe('url signing', () => {
  const key = randomBytes(32);
  const path = '/api/v1/media/hls/abc/r1/seg-00000.ts';
  const parse = (q: string) => Object.fromEntries(new URLSearchParams(q));
  it('accepts its own signature until it expires', () => {
    const q = parse(signQuery(key, path, 1000));
    expect(verifySignature(key, path, q.exp, q.sig, 999)).toBe('ok');
    expect(verifySignature(key, path, q.exp, q.sig, 1000)).toBe('ok');
    expect(verifySignature(key, path, q.exp, q.sig, 1001)).toBe('expired');
  });
  it('rejects another path, a changed expiry, a changed signature, another key, or missing fields', () => {
    const q = parse(signQuery(key, path, 1000));
    expect(verifySignature(key, path.replace('00000', '00001'), q.exp, q.sig, 0)).toBe('invalid');
    expect(verifySignature(key, path, '9999', q.sig, 0)).toBe('invalid');
    expect(verifySignature(key, path, q.exp, q.sig.slice(0, -1) + (q.sig.endsWith('A') ? 'B' : 'A'), 0)).toBe('invalid');
    expect(verifySignature(randomBytes(32), path, q.exp, q.sig, 0)).toBe('invalid');
    expect(verifySignature(key, path, undefined, q.sig, 0)).toBe('invalid');
    expect(verifySignature(key, path, '1e3', q.sig, 0)).toBe('invalid');
  });
});

describe('key wrapping and HLS decryption', () => {
  it('derives distinct keys and round-trips a content key bound to its rendition', () => {
    const keys = deriveMediaKeys('x'.repeat(40));
    expect(keys.keyEncryptionKey.equals(keys.urlSigningKey)).toBe(false);
    expect(deriveMediaKeys('x'.repeat(40)).keyEncryptionKey.equals(keys.keyEncryptionKey)).toBe(true);
    const content = randomBytes(16);
    const wrapped = wrapKey(keys.keyEncryptionKey, content, 'r1');
    expect(unwrapKey(keys.keyEncryptionKey, wrapped, 'r1').equals(content)).toBe(true);
    expect(() => unwrapKey(keys.keyEncryptionKey, wrapped, 'r2')).toThrow();
    expect(() => unwrapKey(deriveMediaKeys('y'.repeat(40)).keyEncryptionKey, wrapped, 'r1')).toThrow();
  });
  it('uses the IV attribute, else the media sequence number', () => {
    expect(hlsIv('0x00112233445566778899aabbccddeeff', 5).toString('hex')).toBe('00112233445566778899aabbccddeeff');
    expect(hlsIv(undefined, 258).toString('hex')).toBe('00000000000000000000000000000102');
  });
  it('decrypts AES-128-CBC segments', () => {
    const key = randomBytes(16);
    const iv = hlsIv(undefined, 3);
    const plain = Buffer.from('G'.repeat(188 * 3));
    const c = hlsSegmentCipher(key, iv);
    const enc = Buffer.concat([c.update(plain), c.final()]);
    const reference = createCipheriv('aes-128-cbc', key, iv);
    expect(enc.equals(Buffer.concat([reference.update(plain), reference.final()]))).toBe(true);
    expect(decryptHlsSegment(key, iv, enc).equals(plain)).toBe(true);
  });
});
