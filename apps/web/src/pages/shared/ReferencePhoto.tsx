import { useEffect, useState } from 'react';
import { Image, Skeleton } from 'antd';
import { objectUrlOf } from '../../api/raw';

/** Reference photos and check captures are personal data behind the API's checks: fetched with the token, never cached. */
export function ReferencePhoto({ path, size = 72, alt = '底库照片' }: { path: string; size?: number; alt?: string }) {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    const controller = new AbortController();
    let made: string | undefined;
    objectUrlOf(path, controller.signal).then(
      (u) => {
        made = u;
        setUrl(u);
      },
      () => undefined,
    );
    return () => {
      controller.abort();
      if (made) URL.revokeObjectURL(made);
    };
  }, [path]);
  return url ? <Image src={url} width={size} height={size} style={{ objectFit: 'cover', borderRadius: 6 }} alt={alt} /> : <Skeleton.Image active style={{ width: size, height: size }} />;
}
