import { useCallback, useState } from 'react';
import { UploadOutlined } from '@ant-design/icons';
import { App, Button, Input, Modal, Select, Space, Table, Typography, Upload } from 'antd';
import { fetchTrainees } from '../../../api/identity';
import { addToRoster, importRoster, removeFromRoster, type ClassDetail, type RosterImportReport } from '../../../api/offline';
import { useRequest } from '../../../api/use-request';
import { useReadOnly } from './read-only';
import { showError } from './show-error';

/** The roster: who sits in the class, and adding people (one by one or from a sheet of ID numbers). */
export function RosterPanel({ cls, onChange }: { cls: ClassDetail; onChange: () => void }) {
  const readOnly = useReadOnly();
  const load = useCallback((signal: AbortSignal) => fetchTrainees({ programId: cls.programId, category: cls.category, status: 'active', offset: 0, limit: 100 }, signal), [cls.programId, cls.category]);
  const candidates = useRequest(load);
  const [traineeId, setTraineeId] = useState<string>();
  const [justification, setJustification] = useState('');
  const [report, setReport] = useState<RosterImportReport>();
  const { message } = App.useApp();
  const onRoster = new Set(cls.roster.map((r) => r.traineeId));
  const [removing, setRemoving] = useState<ClassDetail['roster'][number]>();
  const [removeReason, setRemoveReason] = useState('');

  const remove = async () => {
    try {
      await removeFromRoster(cls.id, removing!.traineeId, removeReason.trim());
      message.success('已移出花名册');
      setRemoving(undefined);
      setRemoveReason('');
      onChange();
    } catch (e) {
      showError(e, message);
    }
  };

  const add = async () => {
    if (!traineeId) return;
    try {
      await addToRoster(cls.id, traineeId, justification.trim() || undefined);
      message.success('已加入花名册');
      setTraineeId(undefined);
      onChange();
    } catch (e) {
      showError(e, message);
    }
  };

  const upload = async (file: File) => {
    try {
      const r = await importRoster(cls.id, file, justification.trim() || undefined);
      setReport(r);
      message.info(`加入 ${r.added} 人，未加入 ${r.rejected} 人`);
      onChange();
    } catch (e) {
      showError(e, message);
    }
    return false;
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap style={{ display: readOnly ? 'none' : undefined }}>
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          style={{ minWidth: 260 }}
          placeholder="选择本机构已登记的学员"
          aria-label="选择学员"
          value={traineeId}
          onChange={setTraineeId}
          options={(candidates.data?.items ?? []).filter((t) => !onRoster.has(t.id)).map((t) => ({ value: t.id, label: `${t.name}（${t.idNumber}）` }))}
        />
        <Input style={{ minWidth: 260 }} placeholder="超过人数上限时的书面理由" value={justification} onChange={(e) => setJustification(e.target.value)} aria-label="超额理由" />
        <Button type="primary" onClick={add} disabled={!traineeId}>加入花名册</Button>
        <Upload accept=".xlsx" showUploadList={false} beforeUpload={upload}>
          <Button icon={<UploadOutlined />}>按身份证号导入（.xlsx）</Button>
        </Upload>
      </Space>
      {report && report.errors.length > 0 && (
        <Table
          size="small"
          rowKey="row"
          pagination={false}
          dataSource={report.errors}
          columns={[
            { title: '行号', dataIndex: 'row' },
            { title: '身份证号', dataIndex: 'idNumber' },
            { title: '未加入原因', dataIndex: 'message' },
          ]}
        />
      )}
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={cls.roster}
        columns={[
          { title: '姓名', dataIndex: 'name' },
          { title: '', render: (_, r) => !readOnly && <Button size="small" onClick={() => setRemoving(r)}>移出</Button> },
        ]}
      />
      <Modal title={`将 ${removing?.name ?? ''} 移出花名册`} open={!!removing} onOk={remove} onCancel={() => setRemoving(undefined)} okText="移出" okButtonProps={{ disabled: !removeReason.trim() }} destroyOnHidden>
        <Input.TextArea rows={3} maxLength={2000} placeholder="原因（记入审计日志；已有考勤记录的学员不能移出）" value={removeReason} onChange={(e) => setRemoveReason(e.target.value)} aria-label="移出原因" />
      </Modal>
      <Typography.Text type="secondary">同一学员不能同时在两个时间重叠的班次中；人员类别与企业类型须与班次一致。</Typography.Text>
    </Space>
  );
}
