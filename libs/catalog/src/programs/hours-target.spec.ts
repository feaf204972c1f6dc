import { PROGRAMS } from '../seed/programs.data';
import { hoursTargetFor } from './hours-target';

const yichun = PROGRAMS.find((p) => p.code === 'YC-2025-MINING')!;

describe('hoursTargetFor', () => {
  it("gives a team leader the program's hours with the offline and practical shares", () => {
    expect(hoursTargetFor(yichun, 'team_leader')).toEqual({ minHours: 20, maxHours: 72, offlineShare: 0.6, practicalShare: 0.25 });
  });

  it('leaves out a share the program does not ask of the category', () => {
    expect(hoursTargetFor(yichun, 'deputy_head')).toEqual({ minHours: 12, maxHours: 48, offlineShare: 0.6 });
  });

  it('says nothing for a category without an hours rule', () => {
    expect(hoursTargetFor(yichun, 'no_such_category')).toBeUndefined();
  });
});
