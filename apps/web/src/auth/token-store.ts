import type { components } from '../api/schema';

export type TokenPair = components['schemas']['TokenPairDto'];

/**
 * Where the console keeps its credentials.
 *
 * - The access token lives only in memory: it is what every request carries, and keeping it out
 *   of storage means a copied profile or a leftover tab state never holds a usable bearer token.
 * - The refresh token goes to sessionStorage, not localStorage: it survives a reload but ends
 *   with the tab. Courses are taken on shared PCs in training rooms and enterprises, where a
 *   login that outlives closing the browser would hand the next person someone else's real-name
 *   account. The token is one-time (the API rotates it and revokes the whole session on reuse),
 *   so a stolen copy is only good until the owner's tab refreshes.
 * - A duplicated tab copies sessionStorage; whichever copy refreshes second is treated as reuse
 *   and both tabs are asked to log in again — a safe failure.
 */
export const REFRESH_TOKEN_KEY = 'gsyf.refreshToken';

let accessToken: string | undefined;

function storage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.sessionStorage;
  } catch {
    // Storage disabled by policy: the session then lasts until the next reload.
    return undefined;
  }
}

let memoryRefreshToken: string | undefined;

export function currentAccessToken(): string | undefined {
  return accessToken;
}

export function storedRefreshToken(): string | undefined {
  return storage()?.getItem(REFRESH_TOKEN_KEY) ?? memoryRefreshToken;
}

export function saveTokens(pair: Pick<TokenPair, 'accessToken' | 'refreshToken'>): void {
  accessToken = pair.accessToken;
  memoryRefreshToken = pair.refreshToken;
  try {
    storage()?.setItem(REFRESH_TOKEN_KEY, pair.refreshToken);
  } catch {
    // Quota or policy: memoryRefreshToken still serves this page view.
  }
}

export function clearTokens(): void {
  accessToken = undefined;
  memoryRefreshToken = undefined;
  try {
    storage()?.removeItem(REFRESH_TOKEN_KEY);
  } catch {
    // Nothing stored, nothing to remove.
  }
}
