// The study benchmark's own arithmetic: if these are wrong, its figures are. Part of `npm test`
// (jest's roots include bench/).
import { driftReport, expectedSeconds } from './study-drift';
import { parseProcStat, parseRssBytes, Recorder, summarise } from './study-stats';
import { answerFor, checksOf } from './study-trainee';

describe('expected seconds of a trainee playing at 1×', () => {
  it('is the whole seconds played up to the last accepted heartbeat', () => {
    expect(expectedSeconds(0, 1800)).toBe(0);
    expect(expectedSeconds(14.999, 1800)).toBe(14);
    expect(expectedSeconds(15.001, 1800)).toBe(15);
    expect(expectedSeconds(600.4, 1800)).toBe(600);
  });

  it('reaching the end earns the last partial second, and nothing beyond', () => {
    expect(expectedSeconds(90.4, 90.4)).toBe(91);
    expect(expectedSeconds(120, 90.4)).toBe(91);
    expect(expectedSeconds(90.3, 90.4)).toBe(90);
  });

  it('a trainee that never played is owed nothing', () => {
    expect(expectedSeconds(Number.NaN, 100)).toBe(0);
    expect(expectedSeconds(-1, 100)).toBe(0);
  });
});

describe('drift report', () => {
  const row = (id: string, pos: number, ack: number, ledger: number, closeSettled: number | undefined = ledger) => ({ traineeId: id, started: true, ackCredited: ack, lastAcceptedPosition: pos, ledgerSeconds: ledger, closeSettled });

  it('is 0 when acks, ledger and played time agree for everyone', () => {
    const d = driftReport([row('a', 30.2, 30, 30), row('b', 45.9, 45, 45)], 1800);
    expect(d).toMatchObject({ expected: 75, ackCredited: 75, ledger: 75, drift: 0, ackMinusExpected: 0, ledgerMinusAck: 0, off: 0, worst: [] });
  });

  it('counts a trainee short-changed by the server, and one over-credited, even when the sums cancel', () => {
    const d = driftReport([row('short', 30.2, 28, 28), row('over', 30.2, 32, 32), row('ok', 15.1, 15, 15)], 1800);
    expect(d.drift).toBe(0);
    expect(d.off).toBe(2);
    expect(d.worst.map((w) => w.traineeId).sort()).toEqual(['over', 'short']);
  });

  it('separates lost settlement (ledger ≠ acks) from crediting that does not match the time played', () => {
    const d = driftReport([row('lost', 60.5, 60, 45)], 1800);
    expect(d).toMatchObject({ drift: -15, ackMinusExpected: 0, ledgerMinusAck: -15, off: 1 });
    expect(d.worst[0]).toMatchObject({ traineeId: 'lost', expected: 60 });
  });

  it('lets the heartbeat acks be one second short — the deferred second the close pays — and no more', () => {
    const d = driftReport([row('deferred', 30.2, 29, 30), row('two-short', 30.2, 28, 30), row('ack-over', 30.2, 31, 30)], 1800);
    expect(d).toMatchObject({ drift: 0, off: 2 });
    expect(d.worst.map((w) => w.traineeId).sort()).toEqual(['ack-over', 'two-short']);
  });

  it('counts a close that reports other seconds than the ledger holds, or no close at all', () => {
    const d = driftReport([row('close-short', 30.2, 30, 30, 29), { ...row('unclosed', 30.2, 30, 30), closeSettled: undefined }, row('ok', 30.2, 30, 30)], 1800);
    expect(d).toMatchObject({ drift: 0, off: 2 });
  });
});

describe('/proc parsing', () => {
  it('reads ppid and utime + stime after the command name, whatever the name contains', () => {
    const line = '4242 (node (MainThread) x) S 4000 4242 4000 0 -1 4194560 1000 0 0 0 250 75 0 0 20 0 11 0 123 456 789';
    expect(parseProcStat(line)).toEqual({ ppid: 4000, cpuTicks: 325 });
  });

  it('refuses what is not a stat line', () => {
    expect(() => parseProcStat('garbage')).toThrow(/not a \/proc stat line/);
    expect(() => parseProcStat('1 (x) S a b c d e f g h i j k l m n')).toThrow(/field 4/);
  });

  it('reads VmRSS in bytes', () => {
    expect(parseRssBytes('Name:\tnode\nVmHWM:\t  900 kB\nVmRSS:\t  512 kB\nThreads:\t11\n')).toBe(512 * 1024);
    expect(() => parseRssBytes('Name:\tnode\n')).toThrow(/VmRSS/);
  });
});

describe('latency windows', () => {
  it('summarises only the samples taken inside the window', () => {
    const r = new Recorder();
    for (let i = 0; i < 100; i++) r.add(i, i < 50 ? 1000 : i - 49);
    const steady = summarise(r.window(50, 100));
    expect(steady).toEqual({ count: 50, p50: 26, p99: 50, max: 50 });
    expect(summarise(r.window()).max).toBe(1000);
    expect(summarise([]).count).toBe(0);
  });
});

describe('simulated trainee helpers', () => {
  it('answers a prompt with the number its question names', () => {
    expect(answerFor({ question: '请点击数字 42', choices: ['17', '42', '88', '03'] })).toBe('42');
    expect(answerFor({ question: '请点击数字 4', choices: ['42', '4'] })).toBe('4');
    expect(answerFor({ question: '请点击数字 7', choices: ['17', '27'] })).toBeUndefined();
  });

  it('accepts the gateway check event as { sessionId, check } or as a checks view', () => {
    const face = { id: '1', kind: 'face' as const, reason: 'random' as const, status: 'outstanding' as const, issuedAt: 1, deadline: 2, retriesLeft: 1, message: '' };
    const prompt = { id: '2', kind: 'prompt' as const, status: 'outstanding' as const, issuedAt: 1, deadline: 2, question: 'q', choices: [] };
    expect(checksOf({ sessionId: 's', check: face })).toEqual({ face });
    expect(checksOf({ sessionId: 's', check: prompt })).toEqual({ prompt });
    expect(checksOf({ face, prompt })).toEqual({ face, prompt });
    expect(checksOf(undefined)).toEqual({ face: undefined, prompt: undefined });
  });
});
