import { Image, Skeleton } from 'antd';
import { useAuthorisedObject } from './use-authorised-object';

/** Reference photos and check captures are personal data behind the API's checks: fetched with the token, never cached. */
export function ReferencePhoto({ path, size = 72, alt = '底库照片' }: { path: string; size?: number; alt?: string }) {
  const url = useAuthorisedObject(path).object?.url;
  return url ? <Image src={url} width={size} height={size} style={{ objectFit: 'cover', borderRadius: 6 }} alt={alt} /> : <Skeleton.Image active style={{ width: size, height: size }} />;
}
