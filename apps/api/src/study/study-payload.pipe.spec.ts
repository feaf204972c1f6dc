import { AppError, createValidationPipe } from '@app/platform';
import { isWellFormedHeartbeat, StudyPayloadPipe } from './study-payload.pipe';
import { HeartbeatDto, SessionRefDto } from './study-socket.dto';

const META = { type: 'body', metatype: HeartbeatDto, data: undefined } as const;
const valid = { sessionId: '65a0000000000000000000aa', seq: 3, position: 45.2, playing: true, visible: true, playbackRate: 1, sentAt: 1_764_000_000_000 };

async function fullAccepts(v: unknown): Promise<boolean> {
  try {
    await createValidationPipe().transform(v, META);
    return true;
  } catch (e) {
    if (e instanceof AppError && e.code === 'VALIDATION_FAILED') return false;
    throw e;
  }
}

/** Every field swapped for values around and beyond its rules, plus shapes the DTO refuses. */
function variants(): unknown[] {
  const odd: unknown[] = [undefined, null, '', '1', true, 0, -1, -0, 0.5, 1.5, 1e-9, 0.01, 0.009, 16, 16.01, 30 * 86_400, 30 * 86_400 + 1,
    Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, NaN, Infinity, -Infinity, [], {}, [1], '65a0000000000000000000aa', '65A0000000000000000000AA',
    '65a0000000000000000000a', '65a0000000000000000000aaa', 'zz a0000000000000000000a', 1n];
  const out: unknown[] = [valid];
  for (const k of Object.keys(valid)) {
    for (const v of odd) out.push({ ...valid, [k]: v });
    const { [k as keyof typeof valid]: _gone, ...rest } = valid;
    out.push(rest);
  }
  out.push({ ...valid, extra: 1 }, { ...valid, __proto__: { seq: 1 } }, Object.assign(Object.create(null), valid), [valid], null, undefined, 'x', 42);
  class Lookalike {
    constructor() {
      Object.assign(this, valid);
    }
  }
  out.push(new Lookalike());
  return out;
}

describe('StudyPayloadPipe', () => {
  it('accepts only what class-validator accepts (never looser), and the ordinary heartbeats on the fast path', async () => {
    let fast = 0;
    for (const v of variants()) {
      const quick = isWellFormedHeartbeat(v);
      if (quick) {
        fast++;
        expect({ v, full: await fullAccepts(v) }).toEqual({ v, full: true });
      }
    }
    expect(isWellFormedHeartbeat(valid)).toBe(true);
    expect(isWellFormedHeartbeat({ ...valid, seq: 0, position: 0, playing: false, visible: false, playbackRate: 0.01, sentAt: -5 })).toBe(true);
    expect(isWellFormedHeartbeat({ ...valid, seq: Number.MAX_SAFE_INTEGER, position: 30 * 86_400, playbackRate: 16 })).toBe(true);
    expect(fast).toBeGreaterThan(20);
  });

  it('refuses, on the fast check, every variant class-validator refuses', async () => {
    for (const v of variants()) if (!(await fullAccepts(v))) expect({ v, quick: isWellFormedHeartbeat(v) }).toEqual({ v, quick: false });
  });

  it('passes a well-formed heartbeat through unchanged', async () => {
    expect(await new StudyPayloadPipe().transform(valid, META)).toBe(valid);
  });

  it('answers anything else with the platform VALIDATION_FAILED error naming the fields', async () => {
    const pipe = new StudyPayloadPipe();
    const err = await Promise.resolve()
      .then(() => pipe.transform({ ...valid, seq: -1, position: NaN, extra: true }, META))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    const fields = ((err as AppError).toBody() as { details?: { fields?: Array<{ field: string }> } }).details?.fields?.map((f) => f.field).sort();
    expect(fields).toEqual(['extra', 'position', 'seq']);
  });

  it('takes the fast path for heartbeats only: another event shaped like one is validated in full', async () => {
    const err = await Promise.resolve()
      .then(() => new StudyPayloadPipe().transform(valid, { type: 'body', metatype: SessionRefDto, data: undefined }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('VALIDATION_FAILED');
  });

  it('still accepts, through the full pipe, a heartbeat the fast check is stricter about', async () => {
    // A class instance with the right fields: the fast check wants a plain object, class-validator does not mind.
    const inst = Object.assign(new HeartbeatDto(), valid);
    expect(isWellFormedHeartbeat(inst)).toBe(false);
    await expect(Promise.resolve(new StudyPayloadPipe().transform(inst, META))).resolves.toMatchObject({ seq: 3 });
  });
});
