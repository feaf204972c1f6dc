import { Image, Spin } from 'antd';
import { capturePath } from '../../../api/offline';
import { useAuthorisedObject } from '../../shared/use-authorised-object';

/** A kiosk capture, fetched with the token (its read is recorded) and shown small; click to enlarge. */
export function CaptureThumb({ sessionId, sha256, label }: { sessionId: string; sha256: string; label: string }) {
  const { object, error } = useAuthorisedObject(capturePath(sessionId, sha256));
  if (error) return <span title={error}>无法显示</span>;
  if (!object) return <Spin size="small" />;
  return <Image src={object.url} alt={label} width={64} height={48} style={{ objectFit: 'cover' }} />;
}
