import { useCallback, useEffect, useState } from 'react';
import { toApiError, type ApiError } from './client';

export interface RequestState<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs `load` on mount and on `reload()`, aborting the previous run so a slow answer never
 * overwrites a newer one. `load` must be stable (module function or useCallback).
 */
export function useRequest<T>(load: (signal: AbortSignal) => Promise<T>): RequestState<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, loading: false });
      },
      (e: unknown) => {
        if (!controller.signal.aborted) setState((s) => ({ data: s.data, error: toApiError(e), loading: false }));
      },
    );
    return () => controller.abort();
  }, [load, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}
