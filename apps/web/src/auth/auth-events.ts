import type { ApiError } from '../api/errors';

/**
 * What the transport learns about the session while pages make calls: the session provider
 * listens so that an expired or revoked session sends the user to the login page from anywhere.
 */
export type AuthEvent = { type: 'signed-out'; reason: ApiError } | { type: 'password-change-required' };

type Listener = (event: AuthEvent) => void;
const listeners = new Set<Listener>();

export function onAuthEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function emitAuthEvent(event: AuthEvent): void {
  for (const listener of [...listeners]) listener(event);
}
