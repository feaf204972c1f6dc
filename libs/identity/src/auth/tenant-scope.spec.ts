import { AppError } from '@app/platform';
import type { AuthUser } from './auth-user';
import { checkedRegionPrefix, regionInScope, regionPrefixOf, systemScope, tenantScopeOf } from './tenant-scope';

const base = { id: 'u1', sessionId: 's1' };

describe('tenant scope', () => {
  it.each([
    ['230000', '23'],
    ['230700', '2307'],
    ['230702', '230702'],
    ['370300', '3703'],
    ['100000', '10'],
    ['110000', '11'],
  ])('jurisdiction prefix of %s is %s', (code, prefix) => {
    expect(regionPrefixOf(code)).toBe(prefix);
  });

  it('refuses malformed region codes', () => {
    expect(() => regionPrefixOf('2307')).toThrow(RangeError);
    expect(() => regionPrefixOf('23070A')).toThrow(RangeError);
  });

  it.each(['', '.*', '23|37', '1234567', '２３'])('refuses %p as a filter prefix', (p) => {
    expect(() => checkedRegionPrefix(p)).toThrow(RangeError);
  });

  it('covers sub-regions by prefix only', () => {
    expect(regionInScope('230702', '2307')).toBe(true);
    expect(regionInScope('230700', '2307')).toBe(true);
    expect(regionInScope('370300', '2307')).toBe(false);
    expect(regionInScope('230800', '2307')).toBe(false);
  });

  it('admin sees all, a trainee only themselves', () => {
    expect(tenantScopeOf({ ...base, role: 'admin' })).toEqual({ kind: 'all' });
    expect(tenantScopeOf({ ...base, role: 'trainee', organisationId: 'e1', regionCode: '230700' })).toEqual({ kind: 'self', userId: 'u1' });
  });

  it('institution staff are scoped to their institution and its region', () => {
    expect(tenantScopeOf({ ...base, role: 'institution', organisationId: 'i1', regionCode: '230700' })).toEqual({
      kind: 'institution',
      institutionId: 'i1',
      regionCode: '230700',
    });
  });

  it("an auditor's scope is its department's jurisdiction", () => {
    expect(tenantScopeOf({ ...base, role: 'auditor', organisationId: 'd1', regionCode: '370300' })).toEqual({
      kind: 'jurisdiction',
      regionPrefix: '3703',
    });
    expect(tenantScopeOf({ ...base, role: 'auditor', organisationId: 'ev', regionCode: '230000' })).toEqual({
      kind: 'jurisdiction',
      regionPrefix: '23',
    });
  });

  it.each<AuthUser>([
    { ...base, role: 'institution' },
    { ...base, role: 'institution', organisationId: 'i1' },
    { ...base, role: 'auditor', organisationId: 'd1' },
  ])('fails closed for staff without an organisation or region (%o)', (user) => {
    expect(() => tenantScopeOf(user)).toThrow(AppError);
  });

  it('a system scope reads everything and carries its reason; an administrator\'s carries none', () => {
    expect(systemScope('  人脸查重  ')).toEqual({ kind: 'all', reason: '人脸查重' });
    expect(tenantScopeOf({ ...base, role: 'admin' })).not.toHaveProperty('reason');
  });

  it.each(['', '   ', undefined as unknown as string])('a system scope without a reason (%p) is refused', (reason) => {
    expect(() => systemScope(reason)).toThrow(RangeError);
  });
});
