import type { FormRule } from 'antd';

/** The API's USERNAME_PATTERN, checked before the round trip. */
export const USERNAME_RULES: FormRule[] = [
  { required: true, message: '请输入用户名' },
  { pattern: /^[a-z0-9][a-z0-9._-]{2,31}$/, message: '用户名须为 3–32 位小写字母、数字、点、下划线或连字符，以字母或数字开头' },
];
