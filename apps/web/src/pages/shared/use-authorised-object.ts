import { useEffect, useState } from 'react';
import { toApiError } from '../../api/errors';
import { objectOf } from '../../api/raw';

/**
 * A file behind the API's checks (photos, captures, scans) as an object URL for this component's
 * life: fetched with the token, revoked when the path changes or the component goes.
 */
export function useAuthorisedObject(path: string): { object?: { url: string; type: string }; error?: string } {
  const [object, setObject] = useState<{ url: string; type: string }>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    const controller = new AbortController();
    let made: string | undefined;
    setObject(undefined);
    setError(undefined);
    objectOf(path, controller.signal).then(
      (o) => {
        made = o.url;
        setObject(o);
      },
      (e) => controller.signal.aborted || setError(toApiError(e).message),
    );
    return () => {
      controller.abort();
      if (made) URL.revokeObjectURL(made);
    };
  }, [path]);
  return { object, error };
}
