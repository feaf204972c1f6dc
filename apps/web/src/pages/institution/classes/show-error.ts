import type { FormInstance } from 'antd';
import { toApiError } from '../../../api/errors';
import { formFieldErrors } from '../../../api/field-errors';

/** The API's zh-CN reason as a message, and on the fields it names when there is a form. */
export function showError(e: unknown, message: { error: (text: string) => unknown }, form?: FormInstance): void {
  const error = toApiError(e);
  if (form) form.setFields(formFieldErrors(error));
  message.error(error.message);
}
