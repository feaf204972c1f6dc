// Pure helpers of the console's identity pages (apps/web is outside jest's roots, so they are tested here).
import { ApiError } from '../../apps/web/src/api/errors';
import { fieldPath, formFieldErrors } from '../../apps/web/src/api/field-errors';

describe('field errors for antd forms', () => {
  test('flattened API paths become antd name paths', () => {
    expect(fieldPath('uscc')).toEqual(['uscc']);
    expect(fieldPath('qualification.fullTimeManagers')).toEqual(['qualification', 'fullTimeManagers']);
    expect(fieldPath('qualification.systems[2]')).toEqual(['qualification', 'systems', 2]);
  });

  test('validation reasons are grouped by field in the order given', () => {
    const e = new ApiError('VALIDATION_FAILED', '请求参数不合法', 400, {
      fields: [
        { field: 'uscc', reasons: ['统一社会信用代码校验位不正确'] },
        { field: 'regionCode', reasons: ['行政区划代码应为 6 位数字'] },
        { field: 'uscc', reasons: ['另一条'] },
      ],
    });
    expect(formFieldErrors(e)).toEqual([
      { name: ['uscc'], errors: ['统一社会信用代码校验位不正确', '另一条'] },
      { name: ['regionCode'], errors: ['行政区划代码应为 6 位数字'] },
    ]);
  });

  test('duplicate answers name bare fields and reuse the message; mongoose-style single reasons are kept', () => {
    expect(formFieldErrors(new ApiError('DUPLICATE', '记录已存在', 409, { fields: ['uscc'] }))).toEqual([{ name: ['uscc'], errors: ['记录已存在'] }]);
    expect(formFieldErrors(new ApiError('VALIDATION_FAILED', 'x', 400, { fields: [{ field: 'name', reason: 'required' }] }))).toEqual([
      { name: ['name'], errors: ['required'] },
    ]);
  });

  test('only fields the form shows are returned; odd details give nothing', () => {
    const e = new ApiError('VALIDATION_FAILED', 'x', 400, { fields: [{ field: 'uscc', reasons: ['a'] }, { field: 'kind', reasons: ['b'] }] });
    expect(formFieldErrors(e, (name) => name[0] === 'uscc')).toEqual([{ name: ['uscc'], errors: ['a'] }]);
    expect(formFieldErrors(new ApiError('X', 'x', 400, 'nonsense'))).toEqual([]);
    expect(formFieldErrors(new ApiError('X', 'x', 400, { fields: [5, null, { nope: 1 }] }))).toEqual([]);
    expect(formFieldErrors(new ApiError('X', 'x', 400))).toEqual([]);
  });
});
