import { useMemo, useState } from 'react';
import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Grid, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { toApiError, type ApiError } from '../../api/errors';
import { showFieldErrors } from '../../api/field-errors';
import { createUser, fetchUsers, resetUserPassword, setUserDisabled, type CreateUser, type Organisation, type User } from '../../api/identity';
import { useRequest } from '../../api/use-request';
import { ROLE_LABELS } from '../../session/roles';
import { useSession } from '../../session/session-context';
import { InitialPasswordModal, type ShownPassword } from '../shared/InitialPasswordModal';
import { useOrganisations, type NameLookup } from '../shared/lookups';
import { LoadError } from '../shared/LoadError';
import { USERNAME_RULES } from '../shared/username';
import { FormActions } from '../shared/FormActions';

/** Which organisations a staff role may belong to (the API checks the same). */
const ORGANISATION_KINDS: Record<CreateUser['role'], Organisation['kind'][]> = {
  institution: ['institution'],
  auditor: ['department', 'evaluator'],
  examiner: ['department'],
};

const CREATE_FIELDS = new Set(['username', 'displayName', 'role', 'organisationId', 'initialPassword']);

function CreateUserModal({ open, organisations, onClose, onCreated }: { open: boolean; organisations: NameLookup<Organisation>; onClose: () => void; onCreated: (created: { user: User; initialPassword?: string }) => void }) {
  const [form] = Form.useForm<CreateUser>();
  const role = Form.useWatch('role', form);
  const [error, setError] = useState<ApiError>();
  const [submitting, setSubmitting] = useState(false);
  const options = useMemo(
    () => organisations.list.filter((o) => role && ORGANISATION_KINDS[role].includes(o.kind)).map((o) => ({ value: o.id, label: o.name })),
    [organisations.list, role],
  );

  const onFinish = async (values: CreateUser) => {
    setSubmitting(true);
    setError(undefined);
    try {
      const created = await createUser({ ...values, username: values.username.trim(), displayName: values.displayName.trim(), initialPassword: values.initialPassword || undefined });
      form.resetFields();
      onCreated(created);
    } catch (e) {
      const apiError = toApiError(e);
      if (apiError.code === 'USERNAME_TAKEN') form.setFields([{ name: 'username', errors: [apiError.message] }]);
      else if (apiError.code === 'USER_ORGANISATION_INVALID') form.setFields([{ name: 'organisationId', errors: [apiError.message] }]);
      else if (showFieldErrors(form, apiError, (name) => CREATE_FIELDS.has(String(name[0]))) === 0) setError(apiError);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal open={open} title="新建用户" onCancel={onClose} footer={null} destroyOnHidden>
      {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={error.message} />}
      <Form<CreateUser> form={form} layout="vertical" onFinish={onFinish} disabled={submitting} aria-label="新建用户" name="create-user" initialValues={{ role: 'institution' }}>
        <Form.Item label="角色" name="role" rules={[{ required: true }]}>
          <Select
            onChange={() => form.setFieldValue('organisationId', undefined)}
            options={[
              { value: 'institution', label: '培训机构人员' },
              { value: 'auditor', label: '审核人员（监管部门或第三方评估机构）' },
            ]}
          />
        </Form.Item>
        <Form.Item label="所属单位" name="organisationId" rules={[{ required: true, message: '请选择所属单位' }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={options} placeholder="请选择" notFoundContent="没有该角色可归属的单位" />
        </Form.Item>
        <Form.Item
          label="用户名"
          name="username"
          rules={USERNAME_RULES}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label="姓名" name="displayName" rules={[{ required: true, whitespace: true, message: '请输入姓名' }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item label="初始密码" name="initialPassword" extra="留空则由系统生成随机密码，并只显示一次；首次登录须修改">
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <FormActions submitLabel="创建" submitting={submitting} onCancel={onClose} />
      </Form>
    </Modal>
  );
}

/** 用户: every account, staff account creation, disabling and password resets. */
export default function UsersPage() {
  const { message } = App.useApp();
  const { user: me } = useSession();
  const { data, error, loading, reload } = useRequest(fetchUsers);
  const organisations = useOrganisations();
  const [creating, setCreating] = useState(false);
  const [password, setPassword] = useState<ShownPassword>();
  const [busy, setBusy] = useState<string>();
  const narrow = Grid.useBreakpoint().md === false;

  const run = async (id: string, action: () => Promise<void>) => {
    setBusy(id);
    try {
      await action();
      reload();
    } catch (e) {
      message.error(toApiError(e).message);
    } finally {
      setBusy(undefined);
    }
  };

  const columns: TableColumnsType<User> = [
    {
      title: '用户',
      dataIndex: 'displayName',
      render: (name: string, u) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{name}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {u.username}
          </Typography.Text>
        </Space>
      ),
    },
    { title: '角色', dataIndex: 'role', width: 96, render: (r: User['role']) => ROLE_LABELS[r] },
    { title: '所属单位', dataIndex: 'organisationId', responsive: ['md'], render: (id?: string) => (id ? (organisations.byId.get(id)?.name ?? '—') : '—') },
    {
      title: '状态',
      key: 'state',
      width: narrow ? 80 : 140,
      render: (_, u) => (
        <Space size={[4, 4]} wrap>
          {u.disabled ? <Tag color="error">已停用</Tag> : <Tag color="success">正常</Tag>}
          {u.mustChangePassword && !u.disabled && <Tag color="warning">待改密码</Tag>}
        </Space>
      ),
    },
    {
      title: '操作',
      key: 'actions',
      width: narrow ? 96 : 200,
      render: (_, u) =>
        u.id === me?.id ? (
          <Typography.Text type="secondary">当前账号</Typography.Text>
        ) : (
          <Space size={0} wrap>
            <Popconfirm
              title={u.disabled ? `启用 ${u.displayName}？` : `停用 ${u.displayName}？`}
              description={u.disabled ? undefined : '停用后该用户的所有会话立即失效。'}
              okText={u.disabled ? '启用' : '停用'}
              cancelText="取消"
              okButtonProps={{ danger: !u.disabled }}
              onConfirm={() => run(u.id, async () => {
                await setUserDisabled(u.id, !u.disabled);
                message.success(u.disabled ? '已启用' : '已停用');
              })}
            >
              <Button type="link" size="small" danger={!u.disabled} loading={busy === u.id}>
                {u.disabled ? '启用' : '停用'}
              </Button>
            </Popconfirm>
            <Popconfirm
              title={`重置 ${u.displayName} 的密码？`}
              description="将生成新的初始密码并注销该用户的全部会话。"
              okText="重置"
              cancelText="取消"
              onConfirm={() => run(u.id, async () => {
                const result = await resetUserPassword(u.id);
                setPassword({ user: result.user, password: result.initialPassword, reason: '密码已重置' });
              })}
            >
              <Button type="link" size="small" loading={busy === u.id}>
                重置密码
              </Button>
            </Popconfirm>
          </Space>
        ),
    },
  ];

  return (
    <Card
      title="用户"
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          新建用户
        </Button>
      }
    >
      <LoadError
        title="用户列表加载失败"
        error={error?.message ?? organisations.error}
        onRetry={() => {
          reload();
          organisations.reload();
        }}
      />
      <Table<User>
        data-testid="users-table"
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (total) => `共 ${total} 个账号` }}
        locale={{ emptyText: error ? '暂无数据（加载失败）' : '暂无用户' }}
      />
      <CreateUserModal
        open={creating}
        organisations={organisations}
        onClose={() => setCreating(false)}
        onCreated={(created) => {
          setCreating(false);
          reload();
          if (created.initialPassword) setPassword({ user: created.user, password: created.initialPassword, reason: '用户已创建' });
          else message.success(`已创建用户 ${created.user.username}`);
        }}
      />
      <InitialPasswordModal shown={password} onClose={() => setPassword(undefined)} />
    </Card>
  );
}
