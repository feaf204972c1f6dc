import { AppError } from '../errors/app-error';
import { assertNoForbiddenKeys, findForbiddenKey } from './body-guard';

describe('findForbiddenKey', () => {
  it('passes ordinary bodies', () => {
    expect(findForbiddenKey({ name: '张三', tags: ['a', { b: 1 }], n: null })).toBeUndefined();
    expect(findForbiddenKey('x')).toBeUndefined();
  });

  it.each([
    [JSON.parse('{"__proto__": {"admin": true}}'), '__proto__'],
    [{ a: { constructor: { prototype: {} } } }, 'a.constructor'],
    [{ name: { $gt: '' } }, 'name.$gt'],
    [{ list: [{ ok: 1 }, { $where: 'x' }] }, 'list[1].$where'],
  ])('finds %j at %s', (body, path) => {
    expect(findForbiddenKey(body)).toBe(path);
  });

  it('refuses absurdly deep nesting instead of recursing forever', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(findForbiddenKey(deep)).toMatch(/^d(\.d)+$/);
  });

  it('throws the stable error', () => {
    let thrown: unknown;
    try {
      assertNoForbiddenKeys({ $ne: 1 });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).toBody()).toEqual({ code: 'FORBIDDEN_KEY', message: '请求中含有不允许的字段名', details: { field: '$ne' } });
  });
});
