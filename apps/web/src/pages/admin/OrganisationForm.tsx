import { useState } from 'react';
import { Alert, Checkbox, Col, Divider, Form, Input, InputNumber, Row, Select, Switch, Typography } from 'antd';
import { toApiError, type ApiError } from '../../api/errors';
import { showFieldErrors } from '../../api/field-errors';
import { createOrganisation, type CreateOrganisation, type Organisation, type OrganisationKind } from '../../api/identity';
import { DEPARTMENT_LABELS, INSTITUTION_SYSTEM_LABELS, ORGANISATION_KIND_LABELS } from '../shared/labels';
import { FormActions } from '../shared/FormActions';

type Values = CreateOrganisation;

const FIELDS = new Set(['kind', 'name', 'uscc', 'regionCode', 'industry', 'department', 'qualification', 'qualificationJustification']);

const COUNTS: { name: keyof NonNullable<Values['qualification']>; label: string; help?: string }[] = [
  { name: 'yearsOfExperience', label: '从业年限（年）', help: '从事工伤预防或安全培训的年限' },
  { name: 'fullTimeManagers', label: '专职培训管理人员' },
  { name: 'fullTimeTeachers', label: '专职培训老师' },
  { name: 'safetyTeachers', label: '其中安全/职业健康专职老师' },
  { name: 'seniorTeachers', label: '高级职称或技能等级师资' },
];

/** Strips what does not belong to the chosen kind: the API refuses foreign fields. */
function bodyFor(values: Values): CreateOrganisation {
  const { kind } = values;
  const trimmed = (v?: string) => v?.trim() || undefined;
  return {
    kind,
    name: values.name.trim(),
    regionCode: values.regionCode.trim(),
    uscc: trimmed(values.uscc)?.toUpperCase(),
    industry: kind === 'enterprise' || kind === 'institution' ? trimmed(values.industry) : undefined,
    department: kind === 'department' ? values.department : undefined,
    qualification: kind === 'institution' ? { ...values.qualification!, systems: values.qualification?.systems ?? [], digitalCourses: !!values.qualification?.digitalCourses } : undefined,
    qualificationJustification: kind === 'institution' ? trimmed(values.qualificationJustification) : undefined,
  };
}

/**
 * Registers an organisation. The API checks the credit code (GB 32100-2015 check character) and
 * the institution's basic conditions; its reasons appear under the fields they concern.
 */
export function OrganisationForm({ onCreated, onCancel }: { onCreated: (o: Organisation) => void; onCancel: () => void }) {
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form) as OrganisationKind | undefined;
  const [error, setError] = useState<ApiError>();
  const [submitting, setSubmitting] = useState(false);

  const onFinish = async (values: Values) => {
    setSubmitting(true);
    setError(undefined);
    try {
      const created = await createOrganisation(bodyFor(values));
      form.resetFields();
      onCreated(created);
    } catch (e) {
      const apiError = toApiError(e);
      const shown = showFieldErrors(form, apiError, (name) => FIELDS.has(String(name[0])));
      // A duplicate or an unexpected failure has no field to sit under.
      if (shown === 0 || apiError.status !== 400) setError(apiError);
    } finally {
      setSubmitting(false);
    }
  };

  const needsUscc = kind === 'enterprise' || kind === 'institution';
  return (
    <Form<Values> form={form} layout="vertical" onFinish={onFinish} disabled={submitting} aria-label="登记单位" name="organisation" initialValues={{ kind: 'enterprise' }} scrollToFirstError>
      {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={error.message} data-testid="organisation-form-error" />}
      <Form.Item label="单位类型" name="kind" rules={[{ required: true }]}>
        <Select options={Object.entries(ORGANISATION_KIND_LABELS).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item label="名称" name="name" rules={[{ required: true, whitespace: true, message: '请输入名称' }, { max: 200, message: '名称不能超过 200 个字符' }]}>
        <Input />
      </Form.Item>
      <Form.Item
        label="统一社会信用代码"
        name="uscc"
        extra="18 位，由平台按 GB 32100-2015 核验校验位"
        rules={[{ required: needsUscc, whitespace: true, message: '企业和培训机构须填写统一社会信用代码' }]}
      >
        <Input maxLength={18} showCount style={{ fontFamily: 'monospace' }} />
      </Form.Item>
      <Form.Item
        label="行政区划代码"
        name="regionCode"
        extra={kind === 'department' || kind === 'evaluator' ? '监管辖区，覆盖其下级区划' : '单位所在地，6 位'}
        rules={[
          { required: true, message: '请输入行政区划代码' },
          { pattern: /^\d{6}$/, message: '行政区划代码应为 6 位数字' },
        ]}
      >
        <Input maxLength={6} inputMode="numeric" style={{ fontFamily: 'monospace' }} />
      </Form.Item>
      {needsUscc && (
        <Form.Item label="所属行业" name="industry" rules={[{ required: kind === 'enterprise', whitespace: true, message: '企业须填写所属行业' }]}>
          <Input maxLength={50} placeholder="如：矿山、危险化学品、建筑施工" />
        </Form.Item>
      )}
      {kind === 'department' && (
        <Form.Item label="部门类别" name="department" rules={[{ required: true, message: '监管部门须注明人社、应急或卫健' }]}>
          <Select options={Object.entries(DEPARTMENT_LABELS).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
      )}
      {kind === 'institution' && (
        <>
          <Divider titlePlacement="start" plain>
            培训机构基本条件
          </Divider>
          <Row gutter={12}>
            {COUNTS.map((c) => (
              <Col xs={24} sm={12} key={c.name}>
                <Form.Item label={c.label} name={['qualification', c.name]} tooltip={c.help} rules={[{ required: true, message: `请填写${c.label}` }]}>
                  <InputNumber min={0} max={10000} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            ))}
          </Row>
          <Form.Item label="已建立的制度" name={['qualification', 'systems']}>
            <Checkbox.Group options={Object.entries(INSTITUTION_SYSTEM_LABELS).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item label="具备数字化课程" name={['qualification', 'digitalCourses']} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item label="条件不足的书面说明" name="qualificationJustification" extra="基本条件不足时必填，监管部门可见">
            <Input.TextArea rows={3} maxLength={2000} showCount />
          </Form.Item>
        </>
      )}
      <FormActions submitLabel="登记" submitting={submitting} onCancel={onCancel} />
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 12, marginBottom: 0 }}>
        统一社会信用代码的校验由服务器完成，错误原因显示在对应字段下。
      </Typography.Paragraph>
    </Form>
  );
}
