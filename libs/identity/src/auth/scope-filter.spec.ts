import { Types } from 'mongoose';
import type { AuthUser } from './auth-user';
import { regionPrefixFilter, ScopeColumns, scopeFilter } from './scope-filter';
import { systemScope, TenantScope, tenantScopeOf } from './tenant-scope';

const inst = new Types.ObjectId().toHexString();
const user = new Types.ObjectId().toHexString();
const session = { sessionId: 's1' };

const admin = tenantScopeOf({ ...session, id: user, role: 'admin' });
const institution = tenantScopeOf({ ...session, id: user, role: 'institution', organisationId: inst, regionCode: '230700' });
const auditor = tenantScopeOf({ ...session, id: user, role: 'auditor', organisationId: inst, regionCode: '230700' });
const trainee = tenantScopeOf({ ...session, id: user, role: 'trainee', organisationId: inst, regionCode: '230702' });

const OBJECT_IDS: ScopeColumns = { institution: 'institutionId', region: 'regionCode', user: 'userId', ids: 'objectId' };
const STRING_IDS: ScopeColumns = { institution: 'inst', region: 'area', user: 'owner', ids: 'string' };

/**
 * A scope no factory would make (a malformed prefix or id): what the guards are for. Only a cast
 * can build one, which is exactly what the brand and the lint rule keep out of production code.
 */
function forged(kind: string, fields: Record<string, unknown> = {}): TenantScope {
  return { ...fields, kind } as unknown as TenantScope;
}

describe('scopeFilter', () => {
  it('reads everything for administrators and for the platform', () => {
    expect(scopeFilter(admin, OBJECT_IDS)).toEqual({});
    expect(scopeFilter(systemScope('测试'), OBJECT_IDS)).toEqual({});
    // The 'all' kind names no column, so a collection without tenant keys can still be read by it.
    expect(scopeFilter(admin, { ids: 'objectId' })).toEqual({});
  });

  it('confines an institution to its rows, by ObjectId or by string as the collection stores it', () => {
    const byObjectId = scopeFilter(institution, OBJECT_IDS);
    expect(byObjectId).toEqual({ institutionId: new Types.ObjectId(inst) });
    expect(byObjectId.institutionId).toBeInstanceOf(Types.ObjectId);
    expect(scopeFilter(institution, STRING_IDS)).toEqual({ inst });
  });

  it("confines an auditor to its jurisdiction's region codes by prefix (ids storage does not matter)", () => {
    expect(scopeFilter(auditor, OBJECT_IDS)).toEqual({ regionCode: { $regex: '^2307' } });
    expect(scopeFilter(auditor, STRING_IDS)).toEqual({ area: { $regex: '^2307' } });
  });

  it('confines a trainee to their own rows, by ObjectId or by string', () => {
    const byObjectId = scopeFilter(trainee, OBJECT_IDS);
    expect(byObjectId).toEqual({ userId: new Types.ObjectId(user) });
    expect(byObjectId.userId).toBeInstanceOf(Types.ObjectId);
    expect(scopeFilter(trainee, STRING_IDS)).toEqual({ owner: user });
  });

  it.each<[string, TenantScope, keyof ScopeColumns]>([
    ['institution', institution, 'institution'],
    ['jurisdiction', auditor, 'region'],
    ['self', trainee, 'user'],
  ])('throws for a %s scope when the collection names no %s column, instead of reading everything', (_kind, scope, column) => {
    const without: ScopeColumns = { ...OBJECT_IDS, [column]: undefined };
    expect(() => scopeFilter(scope, without)).toThrow(new RegExp(`"${column}" column`));
    expect(() => scopeFilter(scope, { ids: 'string' })).toThrow(Error);
  });

  it.each(['', '.*', '23|37', '^', '1234567', '２３', '23)'])('refuses jurisdiction prefix %p: it would go into $regex', (prefix) => {
    expect(() => scopeFilter(forged('jurisdiction', { regionPrefix: prefix }), OBJECT_IDS)).toThrow(RangeError);
    expect(() => regionPrefixFilter('regionCode', prefix)).toThrow(RangeError);
  });

  it('refuses an id that is not an ObjectId for ObjectId columns, and an empty one for string columns', () => {
    expect(() => scopeFilter(forged('institution', { institutionId: 'not-an-id', regionCode: '230700' }), OBJECT_IDS)).toThrow(RangeError);
    expect(() => scopeFilter(forged('self', { userId: { $ne: null } }), OBJECT_IDS)).toThrow(RangeError);
    expect(() => scopeFilter(forged('self', { userId: '' }), STRING_IDS)).toThrow(RangeError);
    expect(() => scopeFilter(forged('self', { userId: { $ne: null } }), STRING_IDS)).toThrow(RangeError);
  });

  it('throws on a kind it does not know rather than return an empty (everything) filter', () => {
    expect(() => scopeFilter(forged('everyone'), OBJECT_IDS)).toThrow(/unknown scope/);
  });

  it('only the factories make a scope: a hand-written one does not compile, though at run time it looks the same', () => {
    // @ts-expect-error the brand is missing (typecheck fails here the day a literal becomes assignable).
    const handWritten: TenantScope = { kind: 'all' }; // eslint-disable-line local/no-hand-written-scope -- the line under test
    const user: AuthUser = { id: 'u', role: 'admin', sessionId: 's' };
    expect(tenantScopeOf(user)).toEqual(handWritten);
  });
});
