import { BSON, Double, Long } from 'bson';
import { leadingTxnNumber } from './sessions';

const rec = (txnNumber: unknown) => Buffer.from(BSON.serialize({ txnNumber, reply: { n: 1, ok: 1, value: { _id: 1, s: 'x'.repeat(50) } } }));

describe('leadingTxnNumber', () => {
  it('reads an int32, int64 or double txnNumber written first', () => {
    expect(leadingTxnNumber(rec(7))).toBe(7);
    expect(leadingTxnNumber(rec(Long.fromNumber(2 ** 40)))).toBe(2 ** 40);
    expect(leadingTxnNumber(rec(new Double(3)))).toBe(3);
    expect(leadingTxnNumber(rec(2 ** 33))).toBe(2 ** 33);
  });

  it('gives undefined for any other layout, so the caller decodes the record', () => {
    expect(leadingTxnNumber(Buffer.from(BSON.serialize({ reply: {}, txnNumber: 1 })))).toBeUndefined();
    expect(leadingTxnNumber(Buffer.from(BSON.serialize({ txnNumber: 'x', reply: {} })))).toBeUndefined();
    expect(leadingTxnNumber(Buffer.from(BSON.serialize({ txnNumbers: 1, reply: {} })))).toBeUndefined();
    expect(leadingTxnNumber(Buffer.alloc(3))).toBeUndefined();
  });
});
