import { Descriptions, Tag, Typography } from 'antd';
import type { Trainee } from '../../api/identity';
import { categoryName, usePrograms } from './lookups';
import { SEX_LABELS, TRAINEE_STATUS_LABELS } from './labels';

/** A trainee record; the enterprise's name comes from the caller (trainees may not list organisations). */
export function TraineeFacts({ trainee, enterpriseName }: { trainee: Trainee; enterpriseName?: string }) {
  const programs = usePrograms();
  const status = TRAINEE_STATUS_LABELS[trainee.status];
  return (
    <Descriptions column={{ xs: 1, sm: 1, md: 2 }} size="small" bordered data-testid="trainee-facts">
      <Descriptions.Item label="姓名">{trainee.name}</Descriptions.Item>
      <Descriptions.Item label="身份证号">
        <Typography.Text code>{trainee.idNumber}</Typography.Text>
        {trainee.masked && <Tag style={{ marginInlineStart: 8 }}>已脱敏</Tag>}
      </Descriptions.Item>
      <Descriptions.Item label="性别">{SEX_LABELS[trainee.sex]}</Descriptions.Item>
      <Descriptions.Item label="出生日期">{trainee.birthDate}</Descriptions.Item>
      <Descriptions.Item label="手机号">{trainee.phone ?? '—'}</Descriptions.Item>
      <Descriptions.Item label="状态">
        <Tag color={status.color}>{status.label}</Tag>
      </Descriptions.Item>
      <Descriptions.Item label="培训项目">{programs.byId.get(trainee.programId)?.name ?? '—'}</Descriptions.Item>
      <Descriptions.Item label="所属企业">{enterpriseName ?? '—'}</Descriptions.Item>
      <Descriptions.Item label="人员类别">{categoryName(programs, trainee.programId, trainee.category)}</Descriptions.Item>
      <Descriptions.Item label="岗位">{trainee.post ?? '—'}</Descriptions.Item>
    </Descriptions>
  );
}
