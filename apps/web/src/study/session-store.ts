/**
 * The study session this tab has for each lesson, so a reload or a reconnect resumes it instead of
 * starting another (which would end this one as "another device"). sessionStorage: per tab, like
 * the login.
 */
export const SESSION_KEY_PREFIX = 'gsyf.study.session.';

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function browserStore(): Store | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.sessionStorage;
  } catch {
    return undefined;
  }
}

export function storedSessionId(lessonId: string, store: Store | undefined = browserStore()): string | undefined {
  try {
    return store?.getItem(SESSION_KEY_PREFIX + lessonId) ?? undefined;
  } catch {
    return undefined;
  }
}

export function storeSessionId(lessonId: string, sessionId: string | undefined, store: Store | undefined = browserStore()): void {
  try {
    if (sessionId) store?.setItem(SESSION_KEY_PREFIX + lessonId, sessionId);
    else store?.removeItem(SESSION_KEY_PREFIX + lessonId);
  } catch {
    // Storage refused (quota, policy): the session then lasts until this page is left.
  }
}
