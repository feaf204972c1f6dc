import { Button, Space } from 'antd';

/** A form's submit and cancel buttons, as every create form here ends. */
export function FormActions({ submitLabel, submitting, onCancel }: { submitLabel: string; submitting: boolean; onCancel: () => void }) {
  return (
    <Space>
      <Button type="primary" htmlType="submit" loading={submitting}>
        {submitLabel}
      </Button>
      <Button onClick={onCancel}>取消</Button>
    </Space>
  );
}
