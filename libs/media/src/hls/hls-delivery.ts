import { Inject, Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { AppConfig, AppConfigToken } from '@app/platform';
import { BlobInfo, BlobStore, ByteRange } from '@app/storage';
import { PLAYLIST_NAME } from '../ffmpeg/ffmpeg-args';
import { mediaError } from '../media.errors';
import { Rendition, RenditionRepository } from '../renditions/rendition';
import { unwrapKey } from './key-wrap';
import { MediaKeyring } from './media-keyring';
import { isSegmentName, rewritePlaylist } from './playlist';
import { signQuery, verifySignature } from './url-signing';

/** Routes are `${base}/${renditionId}/index.m3u8`, `/seg-00000.ts` and `/key`. */
export interface DeliveryPaths {
  base: string;
}

/**
 * Signed, expiring delivery of an encrypted rendition. The URL path names the rendition, so a
 * signature for one lesson's segment cannot be replayed against another's.
 */
@Injectable()
export class HlsDelivery {
  constructor(
    private readonly renditions: RenditionRepository,
    private readonly store: BlobStore,
    private readonly keyring: MediaKeyring,
    @Inject(AppConfigToken) private readonly config: AppConfig,
  ) {}

  private now(): number {
    return Math.floor(Date.now() / 1000);
  }

  signed(path: string, expires: number): string {
    return `${path}?${signQuery(this.keyring.urlSigningKey, path, expires)}`;
  }

  /** The entry point a player receives after the access check. */
  playlistUrl(base: string, renditionId: string): { url: string; expiresAt: Date } {
    const exp = this.now() + this.config.media.signedUrlTtlSeconds;
    return { url: this.signed(`${base}/${renditionId}/${PLAYLIST_NAME}`, exp), expiresAt: new Date(exp * 1000) };
  }

  /** Throws 403 MEDIA_URL_INVALID / MEDIA_URL_EXPIRED unless the query signs exactly this path. */
  verify(path: string, query: { exp?: unknown; sig?: unknown }): void {
    const check = verifySignature(this.keyring.urlSigningKey, path, query.exp, query.sig, this.now());
    if (check === 'invalid') throw mediaError('MEDIA_URL_INVALID');
    if (check === 'expired') throw mediaError('MEDIA_URL_EXPIRED');
  }

  async rendition(id: string): Promise<Rendition> {
    const r = await this.renditions.findById(id);
    if (!r) throw mediaError('MEDIA_NOT_PUBLISHED');
    return r;
  }

  /** The stored playlist with freshly signed key and segment URLs (same expiry as the playlist URL). */
  async playlist(base: string, rendition: Rendition, expires: number): Promise<string> {
    const stored = await text(await this.store.read(`${rendition.prefix}/${PLAYLIST_NAME}`));
    const dir = `${base}/${rendition.id}`;
    // Segments fetched late in a long lesson need time: each gets at least the full TTL from now.
    const exp = Math.max(expires, this.now() + this.config.media.signedUrlTtlSeconds);
    return rewritePlaylist(stored, { key: () => this.signed(`${dir}/key`, exp), segment: (name) => this.signed(`${dir}/${name}`, exp) });
  }

  async segment(rendition: Rendition, name: string, range?: ByteRange): Promise<{ info: BlobInfo; body: Readable }> {
    if (!isSegmentName(name)) throw mediaError('MEDIA_URL_INVALID');
    const key = `${rendition.prefix}/${name}`;
    const info = await this.store.stat(key);
    if (!info) throw mediaError('MEDIA_NOT_PUBLISHED');
    if (range && (range.start > range.end || range.end >= info.size)) throw mediaError('MEDIA_RANGE_INVALID', { size: info.size });
    return { info, body: await this.store.read(key, range) };
  }

  contentKey(rendition: Rendition): Buffer {
    return unwrapKey(this.keyring.keyEncryptionKey, rendition.wrappedKey, rendition.id);
  }
}
