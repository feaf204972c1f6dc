import { duplicateDecision, imageTypeOf } from './duplicate-decision';

describe('duplicate-person decision', () => {
  const T = 0.54;

  it('holds when another trainee is within the threshold, one match per trainee (closest), closest first', () => {
    const d = duplicateDecision(
      [
        { id: 'r1', subjectId: 'self', distance: 0.1 },
        { id: 'r2', subjectId: 'bob', distance: 0.5 },
        { id: 'r3', subjectId: 'ann', distance: 0.3 },
        { id: 'r4', subjectId: 'bob', distance: 0.42 },
        { id: 'r5', subjectId: 'cy', distance: 0.6 },
      ],
      'self',
      T,
    );
    expect(d).toEqual({
      held: true,
      matches: [
        { traineeId: 'ann', referenceId: 'r3', distance: 0.3 },
        { traineeId: 'bob', referenceId: 'r4', distance: 0.42 },
      ],
    });
  });

  it('counts a distance exactly at the threshold as a match (the engine decides "same" at ≤)', () => {
    expect(duplicateDecision([{ id: 'r', subjectId: 'x', distance: T }], 'me', T).held).toBe(true);
    expect(duplicateDecision([{ id: 'r', subjectId: 'x', distance: T + 1e-9 }], 'me', T).held).toBe(false);
  });

  it('ignores the trainee\'s own references and an empty gallery', () => {
    expect(duplicateDecision([{ id: 'r', subjectId: 'me', distance: 0 }], 'me', T)).toEqual({ held: false, matches: [] });
    expect(duplicateDecision([], 'me', T)).toEqual({ held: false, matches: [] });
  });

  it('never holds on a NaN distance', () => {
    expect(duplicateDecision([{ id: 'r', subjectId: 'x', distance: Number.NaN }], 'me', T).held).toBe(false);
  });
});

describe('stored image type', () => {
  it('recognises JPEG, PNG and WebP by their signatures and nothing else', () => {
    expect(imageTypeOf(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toEqual({ contentType: 'image/jpeg', ext: 'jpg' });
    expect(imageTypeOf(Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'))).toEqual({ contentType: 'image/png', ext: 'png' });
    expect(imageTypeOf(Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8 ', 'latin1'))).toEqual({ contentType: 'image/webp', ext: 'webp' });
    expect(imageTypeOf(Buffer.from('GIF89a'))).toBeUndefined();
  });
});
