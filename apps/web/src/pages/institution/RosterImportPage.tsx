import { useState } from 'react';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Form, Grid, Result, Row, Select, Space, Statistic, Table, Tag, Typography, Upload, type TableColumnsType, type UploadFile } from 'antd';
import { Link } from 'react-router-dom';
import { toApiError, type ApiError } from '../../api/errors';
import { downloadRosterExport, downloadRosterTemplate, importRoster, type RosterImportReport, type RosterRowError } from '../../api/roster';
import { usePrograms } from '../shared/lookups';

const MAX_BYTES = 10 * 1024 * 1024;

function Summary({ report }: { report: RosterImportReport }) {
  const items = [
    { title: '名单行数', value: report.totalRows },
    { title: '新登记', value: report.created },
    { title: '已更新', value: report.updated },
    { title: '无变化', value: report.unchanged },
    { title: '未导入', value: report.rejected, danger: report.rejected > 0 },
  ];
  return (
    <Row gutter={[16, 16]} data-testid="roster-summary">
      {items.map((i) => (
        <Col xs={12} sm={8} md={4} key={i.title}>
          <Statistic title={i.title} value={i.value} styles={{ content: i.danger ? { color: '#cf1322' } : undefined }} />
        </Col>
      ))}
    </Row>
  );
}

function ErrorTable({ errors, narrow }: { errors: RosterRowError[]; narrow: boolean }) {
  const columns: TableColumnsType<RosterRowError> = [
    { title: '行号', dataIndex: 'row', width: 72, sorter: (a, b) => a.row - b.row, defaultSortOrder: 'ascend' },
    { title: '姓名', dataIndex: 'name', width: 120, hidden: narrow, render: (name?: string) => name ?? '—' },
    {
      title: '问题',
      key: 'problems',
      render: (_, e) => (
        <Space orientation="vertical" size={2}>
          {narrow && e.name && <Typography.Text strong>{e.name}</Typography.Text>}
          {e.problems.map((p, i) => (
            <span key={i}>
              <Tag color="red">{p.column}</Tag>
              {p.reason}
            </span>
          ))}
        </Space>
      ),
    },
  ];
  return (
    <Table<RosterRowError>
      data-testid="roster-errors"
      rowKey="row"
      size="small"
      columns={columns}
      dataSource={errors}
      pagination={{ defaultPageSize: 20, hideOnSinglePage: true, showTotal: (total) => `共 ${total} 行未导入` }}
    />
  );
}

/** 花名册导入: template download, .xlsx upload, the result with every refused row and why. */
export default function RosterImportPage() {
  const { message } = App.useApp();
  const programs = usePrograms();
  const [programId, setProgramId] = useState<string>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [report, setReport] = useState<RosterImportReport>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState<'template' | 'export' | 'import'>();
  const narrow = Grid.useBreakpoint().md === false;
  const file = files[0]?.originFileObj;

  const run = async (what: 'template' | 'export' | 'import') => {
    if (!programId) return;
    setBusy(what);
    setError(undefined);
    try {
      if (what === 'template') await downloadRosterTemplate(programId);
      else if (what === 'export') await downloadRosterExport(programId);
      else if (file) {
        const result = await importRoster(programId, file);
        setReport(result);
        if (result.rejected === 0) message.success(`导入完成：新登记 ${result.created} 人，更新 ${result.updated} 人`);
      }
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title="花名册导入">
        <Typography.Paragraph type="secondary">
          先下载所选培训项目的模板，按说明填写后上传。每一行都会核验身份证号、企业与人员类别；合格的行按身份证号登记或更新，有问题的行逐条列出原因，改正后可再次上传同一文件（已导入的学员不会重复登记）。“导出名单”下载本机构在该项目已登记的学员（与模板同列、含完整身份证号，请妥善保管），修改后可直接再次导入。
        </Typography.Paragraph>
        <Form layout="vertical" name="roster-import" aria-label="花名册导入">
          <Form.Item label="培训项目" required>
            <Select
              aria-label="培训项目"
              value={programId}
              onChange={(v) => {
                setProgramId(v);
                setReport(undefined);
              }}
              placeholder="请选择培训项目"
              options={programs.list.map((p) => ({ value: p.id, label: p.name }))}
            />
          </Form.Item>
          <Form.Item>
            <Button icon={<DownloadOutlined />} disabled={!programId} loading={busy === 'template'} onClick={() => run('template')}>
              下载模板
            </Button>
            <Button icon={<DownloadOutlined />} disabled={!programId} loading={busy === 'export'} onClick={() => run('export')} style={{ marginInlineStart: 8 }}>
              导出名单
            </Button>
          </Form.Item>
          <Form.Item label="名单文件" extra="Excel 2007 及以上版本的 .xlsx，不超过 10 MB">
            <Upload.Dragger
              accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              maxCount={1}
              fileList={files}
              beforeUpload={(f) => {
                if (f.size > MAX_BYTES) {
                  message.error('名单文件过大（超过 10 MB），请拆分后分批导入');
                  return Upload.LIST_IGNORE;
                }
                // Held here until 导入 is pressed: the program must be chosen first.
                return false;
              }}
              onChange={({ fileList }) => {
                setFiles(fileList.slice(-1));
                setReport(undefined);
              }}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">点击或拖入 .xlsx 文件</p>
            </Upload.Dragger>
          </Form.Item>
          <Button type="primary" disabled={!programId || !file} loading={busy === 'import'} onClick={() => run('import')}>
            导入
          </Button>
        </Form>
        {error && <Alert type="error" showIcon style={{ marginTop: 16 }} title="导入失败" description={error.message} data-testid="roster-error" />}
      </Card>
      {report && (
        <Card title="导入结果" extra={<Typography.Text type="secondary">用时 {(report.durationMs / 1000).toFixed(1)} 秒</Typography.Text>}>
          <Summary report={report} />
          {report.errors.length > 0 ? (
            <>
              <Alert
                type="warning"
                showIcon
                style={{ margin: '16px 0' }}
                title={`${report.rejected} 行未导入`}
                description="请按下表在原文件中改正后重新上传；其余行已导入，重复上传不会重复登记。"
              />
              <ErrorTable errors={report.errors} narrow={narrow} />
            </>
          ) : (
            <Result status="success" title="全部行已导入" extra={<Link to="/institution/trainees">查看学员</Link>} />
          )}
        </Card>
      )}
    </Space>
  );
}
