import { Alert, Button } from 'antd';
import type { ApiError } from '../../api/errors';

/** A failed load: what failed, the API's zh-CN reason and a retry. */
export function LoadError({ title, error, onRetry }: { title: string; error?: ApiError | string; onRetry: () => void }) {
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      title={title}
      description={typeof error === 'string' ? error : error.message}
      action={
        <Button size="small" onClick={onRetry}>
          重试
        </Button>
      }
    />
  );
}
