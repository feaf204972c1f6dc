import { Types } from 'mongoose';
import { mayWriteTraineesOf, traineeScopeFilter } from './trainee-scope';

const inst = new Types.ObjectId().toHexString();
const other = new Types.ObjectId().toHexString();
const user = new Types.ObjectId().toHexString();

describe('trainee tenant filter', () => {
  it('is empty only for administrators', () => {
    expect(traineeScopeFilter({ kind: 'all' })).toEqual({});
  });

  it('confines institutions to their own trainees', () => {
    expect(traineeScopeFilter({ kind: 'institution', institutionId: inst, regionCode: '230700' })).toEqual({
      institutionId: new Types.ObjectId(inst),
    });
  });

  it('confines auditors to enterprises of their jurisdiction', () => {
    expect(traineeScopeFilter({ kind: 'jurisdiction', regionPrefix: '2307' })).toEqual({ enterpriseRegionCode: { $regex: '^2307' } });
  });

  it('refuses a prefix that is not digits (it goes into a regex) or is empty (it would match everything)', () => {
    expect(() => traineeScopeFilter({ kind: 'jurisdiction', regionPrefix: '.*' })).toThrow(RangeError);
    expect(() => traineeScopeFilter({ kind: 'jurisdiction', regionPrefix: '' })).toThrow(RangeError);
  });

  it('confines trainees to themselves', () => {
    expect(traineeScopeFilter({ kind: 'self', userId: user })).toEqual({ userId: new Types.ObjectId(user) });
  });

  it('lets only the owning institution and administrators write', () => {
    expect(mayWriteTraineesOf({ kind: 'all' }, inst)).toBe(true);
    expect(mayWriteTraineesOf({ kind: 'institution', institutionId: inst, regionCode: '230700' }, inst)).toBe(true);
    expect(mayWriteTraineesOf({ kind: 'institution', institutionId: other, regionCode: '230700' }, inst)).toBe(false);
    expect(mayWriteTraineesOf({ kind: 'jurisdiction', regionPrefix: '23' }, inst)).toBe(false);
    expect(mayWriteTraineesOf({ kind: 'self', userId: user }, inst)).toBe(false);
  });
});
