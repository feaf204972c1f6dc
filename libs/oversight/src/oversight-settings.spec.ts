import { DEFAULT_WEIGHTS } from './signals/settings';
import { parseWeights } from './oversight-settings';

describe('parseWeights', () => {
  it('overrides the defaults by code and keeps the rest', () => {
    expect(parseWeights('face-failed=7, shared-face=60.5')).toEqual({ ...DEFAULT_WEIGHTS, 'face-failed': 7, 'shared-face': 60.5 });
    expect(parseWeights('')).toEqual(DEFAULT_WEIGHTS);
  });

  it('names an unknown code', () => {
    expect(() => parseWeights('face-faild=3')).toThrow(/face-faild/);
  });
});
