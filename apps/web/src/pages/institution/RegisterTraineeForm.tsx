import { useState } from 'react';
import { Alert, Form, Input, Select } from 'antd';
import { toApiError, type ApiError } from '../../api/errors';
import { showFieldErrors } from '../../api/field-errors';
import { registerTrainee, type Organisation, type RegisterTrainee, type Trainee } from '../../api/identity';
import type { ProgramSummary } from '../../api/programs';
import type { NameLookup } from '../shared/lookups';
import { FormActions } from '../shared/FormActions';

const FIELDS = new Set(['programId', 'name', 'idNumber', 'phone', 'enterpriseId', 'category', 'post']);

/**
 * One trainee by hand (the roster import is for many). The API validates the ID number
 * (GB 11643-1999 check digit, real birth date) and refuses a duplicate within the program.
 */
export function RegisterTraineeForm({
  programs,
  enterprises,
  onRegistered,
  onCancel,
}: {
  programs: NameLookup<ProgramSummary>;
  enterprises: NameLookup<Organisation>;
  onRegistered: (t: Trainee) => void;
  onCancel: () => void;
}) {
  const [form] = Form.useForm<RegisterTrainee>();
  const programId = Form.useWatch('programId', form);
  const [error, setError] = useState<ApiError>();
  const [submitting, setSubmitting] = useState(false);
  const categories = programs.byId.get(programId ?? '')?.categories ?? [];

  const onFinish = async (values: RegisterTrainee) => {
    setSubmitting(true);
    setError(undefined);
    try {
      const trainee = await registerTrainee({
        ...values,
        name: values.name.trim(),
        idNumber: values.idNumber.trim().toUpperCase(),
        phone: values.phone?.trim() || undefined,
        post: values.post?.trim() || undefined,
      });
      form.resetFields();
      onRegistered(trainee);
    } catch (e) {
      const apiError = toApiError(e);
      if (apiError.code === 'TRAINEE_DUPLICATE') form.setFields([{ name: 'idNumber', errors: [apiError.message] }]);
      else if (showFieldErrors(form, apiError, (name) => FIELDS.has(String(name[0]))) === 0) setError(apiError);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Form<RegisterTrainee> form={form} layout="vertical" onFinish={onFinish} disabled={submitting} aria-label="登记学员" name="register-trainee" scrollToFirstError>
      {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={error.message} />}
      <Form.Item label="培训项目" name="programId" rules={[{ required: true, message: '请选择培训项目' }]}>
        <Select options={programs.list.map((p) => ({ value: p.id, label: p.name }))} onChange={() => form.setFieldValue('category', undefined)} />
      </Form.Item>
      <Form.Item label="姓名" name="name" rules={[{ required: true, whitespace: true, message: '请输入姓名' }]}>
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item label="身份证号" name="idNumber" extra="18 位公民身份号码，由平台核验校验码与出生日期" rules={[{ required: true, whitespace: true, message: '请输入身份证号' }]}>
        <Input maxLength={18} style={{ fontFamily: 'monospace' }} autoComplete="off" />
      </Form.Item>
      <Form.Item label="手机号" name="phone" rules={[{ pattern: /^1\d{10}$/, message: '手机号应为 11 位数字，以 1 开头' }]}>
        <Input maxLength={11} inputMode="tel" />
      </Form.Item>
      <Form.Item label="所属企业" name="enterpriseId" rules={[{ required: true, message: '请选择所属企业' }]}>
        <Select showSearch={{ optionFilterProp: 'label' }} options={enterprises.list.map((e) => ({ value: e.id, label: e.name }))} />
      </Form.Item>
      <Form.Item label="人员类别" name="category" rules={[{ required: true, message: '请选择人员类别' }]}>
        <Select options={categories.map((c) => ({ value: c.code, label: c.name }))} notFoundContent="请先选择培训项目" />
      </Form.Item>
      <Form.Item label="岗位" name="post">
        <Input maxLength={100} />
      </Form.Item>
      <FormActions submitLabel="登记" submitting={submitting} onCancel={onCancel} />
    </Form>
  );
}
