// Plays a lesson the way hls.js does, without a browser: playlist → key → segments, then decrypts.
import { decryptHlsSegment, hlsIv } from '../src/hls/key-wrap';

export interface FetchedPlaylist {
  text: string;
  keyUri: string;
  iv?: string;
  mediaSequence: number;
  segments: string[];
}

export function parseMediaPlaylist(text: string): FetchedPlaylist {
  const keyLine = text.split('\n').find((l) => l.startsWith('#EXT-X-KEY:'));
  const keyUri = /URI="([^"]+)"/.exec(keyLine ?? '')?.[1] ?? '';
  const iv = /IV=(0x[0-9a-fA-F]{32})/.exec(keyLine ?? '')?.[1];
  const mediaSequence = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1] ?? 0);
  const segments = text.split('\n').filter((l) => l && !l.startsWith('#'));
  return { text, keyUri, iv, mediaSequence, segments };
}

/** Segment i's IV per RFC 8216: the IV attribute, else its media sequence number. */
export function decryptSegment(pl: FetchedPlaylist, index: number, key: Buffer, data: Buffer): Buffer {
  return decryptHlsSegment(key, hlsIv(pl.iv, pl.mediaSequence + index), data);
}
