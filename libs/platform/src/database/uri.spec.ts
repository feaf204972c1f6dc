import { addressOf, withDbName } from './uri';

describe('connection strings', () => {
  it.each([
    ['mongodb://127.0.0.1:27017', 'mongodb://127.0.0.1:27017/gsyf'],
    ['mongodb://127.0.0.1:27017/', 'mongodb://127.0.0.1:27017/gsyf'],
    ['mongodb://a:1,b:2/old?replicaSet=rs0', 'mongodb://a:1,b:2/gsyf?replicaSet=rs0'],
    ['mongodb://u:p@h:1/?directConnection=true', 'mongodb://u:p@h:1/gsyf?directConnection=true'],
    ['mongodb+srv://cluster.example/x', 'mongodb+srv://cluster.example/gsyf'],
  ])('puts the database name into %s', (uri, expected) => {
    expect(withDbName(uri, 'gsyf')).toBe(expected);
  });

  it('shows an address without credentials', () => {
    expect(addressOf('mongodb://user:secret@h1:27017,h2:27017/db?replicaSet=rs0')).toBe('h1:27017,h2:27017');
    expect(addressOf('mongodb://127.0.0.1:5/')).toBe('127.0.0.1:5');
    expect(addressOf('mongodb://127.0.0.1:5?replicaSet=rs0')).toBe('127.0.0.1:5');
  });

  it('refuses what is not a MongoDB URI without echoing it', () => {
    expect(() => withDbName('postgres://user:secret@h/db', 'x')).toThrow(/unexpected MongoDB URI/);
    expect(() => withDbName('postgres://user:secret@h/db', 'x')).not.toThrow(/secret/);
  });
});
