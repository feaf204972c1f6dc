import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, unwrap } from '../api/client';
import { toApiError, type ApiError } from '../api/errors';
import type { components } from '../api/schema';
import { onAuthEvent } from '../auth/auth-events';
import { publicApi, refreshTokens } from '../auth/authorized-fetch';
import { clearTokens, saveTokens, storedRefreshToken } from '../auth/token-store';
import { isRole } from './roles';
import type { SessionContextValue, SessionStatus, SessionUser } from './session-context';

type Me = components['schemas']['MeDto'];

function toSessionUser(me: Me): SessionUser {
  // The role decides which menu is shown; an unknown one must not fall back to some default.
  if (!isRole(me.role)) throw toApiError({ code: 'AUTH_ROLE_UNKNOWN', message: `未知的用户角色：${me.role}` });
  return {
    id: me.id,
    username: me.username,
    name: me.displayName,
    role: me.role,
    organisation: me.organisation,
    mustChangePassword: me.mustChangePassword,
  };
}

async function fetchMe(): Promise<SessionUser> {
  return toSessionUser(await unwrap(api.GET('/api/v1/auth/me')));
}

interface State {
  status: SessionStatus;
  user?: SessionUser;
  notice?: ApiError;
}

const initialState = (): State => ({ status: storedRefreshToken() ? 'restoring' : 'signed-out' });

/** The session from the API: login, GET /auth/me, forced password change, logout. */
export function useAuthSession(): SessionContextValue {
  const [state, setState] = useState<State>(initialState);
  const [attempt, setAttempt] = useState(0);
  // Counts logins, so a slow logout never drops the tokens of a login that came after it.
  const logins = useRef(0);

  // A reload keeps only the refresh token: exchange it and ask who we are.
  useEffect(() => {
    if (!storedRefreshToken()) return;
    let cancelled = false;
    setState((s) => ({ ...s, status: 'restoring' }));
    refreshTokens()
      .then(fetchMe)
      .then(
        (user) => !cancelled && setState({ status: 'signed-in', user }),
        (e: unknown) => {
          if (cancelled) return;
          const error = toApiError(e);
          // Only the API saying no ends the session; an outage keeps the token for another try.
          const ended = error.status === 401 || error.status === 403;
          if (ended) clearTokens();
          setState(ended ? { status: 'signed-out', notice: error } : { status: 'unreachable', notice: error });
        },
      );
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  useEffect(
    () =>
      onAuthEvent((event) => {
        if (event.type === 'signed-out') setState({ status: 'signed-out', notice: event.reason });
        else setState((s) => (s.user ? { ...s, user: { ...s.user, mustChangePassword: true } } : s));
      }),
    [],
  );

  const login = useCallback(async (username: string, password: string) => {
    const pair = await unwrap(publicApi.POST('/api/v1/auth/login', { body: { username, password } }));
    logins.current += 1;
    saveTokens(pair);
    try {
      const user = await fetchMe();
      setState({ status: 'signed-in', user });
      return user;
    } catch (e) {
      clearTokens();
      throw toApiError(e);
    }
  }, []);

  const changePassword = useCallback(async (currentPassword: string, newPassword: string) => {
    // The API ends every other session and answers with this session's new pair.
    saveTokens(await unwrap(api.POST('/api/v1/auth/password', { body: { currentPassword, newPassword } })));
    const user = await fetchMe();
    setState({ status: 'signed-in', user });
  }, []);

  const logout = useCallback(async () => {
    // The console leaves at once; the revocation follows (with one refresh if the token expired).
    const leaving = logins.current;
    setState({ status: 'signed-out' });
    try {
      await unwrap(api.POST('/api/v1/auth/logout'));
    } catch {
      // Already expired or offline: the tokens are forgotten here either way.
    } finally {
      // Unless someone has logged in again meanwhile: their tokens are not ours to drop.
      if (logins.current === leaving) clearTokens();
    }
  }, []);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  return useMemo(() => ({ ...state, login, changePassword, logout, retry }), [state, login, changePassword, logout, retry]);
}
