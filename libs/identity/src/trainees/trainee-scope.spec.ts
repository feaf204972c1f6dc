import { Types } from 'mongoose';
import { scopeFilter } from '../auth/scope-filter';
import { systemScope, tenantScopeOf } from '../auth/tenant-scope';
import { mayWriteTraineesOf, TRAINEE_SCOPE_COLUMNS } from './trainee-scope';

const inst = new Types.ObjectId().toHexString();
const other = new Types.ObjectId().toHexString();
const user = new Types.ObjectId().toHexString();

const session = { id: user, sessionId: 's1' };
const admin = tenantScopeOf({ ...session, role: 'admin' });
const institution = (organisationId: string) => tenantScopeOf({ ...session, role: 'institution', organisationId, regionCode: '230700' });
const auditor = tenantScopeOf({ ...session, role: 'auditor', organisationId: other, regionCode: '230700' });
const trainee = tenantScopeOf({ ...session, role: 'trainee' });
const traineeScopeFilter = (scope: Parameters<typeof scopeFilter>[0]) => scopeFilter(scope, TRAINEE_SCOPE_COLUMNS);

describe('trainee tenant filter', () => {
  it('is empty only for administrators and the platform', () => {
    expect(traineeScopeFilter(admin)).toEqual({});
    expect(traineeScopeFilter(systemScope('测试'))).toEqual({});
  });

  it('confines institutions to their own trainees', () => {
    expect(traineeScopeFilter(institution(inst))).toEqual({
      institutionId: new Types.ObjectId(inst),
    });
  });

  it('confines auditors to enterprises of their jurisdiction', () => {
    expect(traineeScopeFilter(auditor)).toEqual({ enterpriseRegionCode: { $regex: '^2307' } });
  });

  it('confines trainees to themselves', () => {
    expect(traineeScopeFilter(trainee)).toEqual({ userId: new Types.ObjectId(user) });
  });

  it('lets only the owning institution and administrators write', () => {
    expect(mayWriteTraineesOf(admin, inst)).toBe(true);
    expect(mayWriteTraineesOf(institution(inst), inst)).toBe(true);
    expect(mayWriteTraineesOf(institution(other), inst)).toBe(false);
    expect(mayWriteTraineesOf(tenantScopeOf({ ...session, role: 'auditor', regionCode: '230000' }), inst)).toBe(false);
    expect(mayWriteTraineesOf(trainee, inst)).toBe(false);
  });
});
