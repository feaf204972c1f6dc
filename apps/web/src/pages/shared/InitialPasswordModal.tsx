import { Alert, Modal, Space, Typography } from 'antd';
import type { User } from '../../api/identity';

export interface ShownPassword {
  user: Pick<User, 'displayName' | 'username'>;
  password: string;
  /** The modal's title: what just happened (created, reset). */
  reason: string;
}

/** Shown exactly once: the API does not keep the password in a readable form. */
export function InitialPasswordModal({ shown, onClose }: { shown?: ShownPassword; onClose: () => void }) {
  return (
    <Modal open={!!shown} title={shown?.reason} onOk={onClose} onCancel={onClose} cancelButtonProps={{ style: { display: 'none' } }} okText="我已记下" destroyOnHidden>
      {shown && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text>
            {shown.user.displayName}（{shown.user.username}）的初始密码：
          </Typography.Text>
          <Typography.Text code copyable style={{ fontSize: 18 }} data-testid="initial-password">
            {shown.password}
          </Typography.Text>
          <Alert type="warning" showIcon title="该密码只显示这一次，请通过安全渠道告知本人；首次登录须修改密码。" />
        </Space>
      )}
    </Modal>
  );
}
