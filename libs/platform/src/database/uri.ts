/** Connection-string helpers: pure, so they are tested without a server. */

export function addressOf(uri: string): string {
  const afterScheme = uri.replace(/^mongodb(\+srv)?:\/\//, '');
  const hosts = afterScheme.split('/')[0].split('?')[0];
  return hosts.includes('@') ? hosts.slice(hosts.lastIndexOf('@') + 1) : hosts;
}

/** Puts a database name into a connection string, keeping its options. */
export function withDbName(uri: string, dbName: string): string {
  const m = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!m) throw new Error(`unexpected MongoDB URI: ${addressOf(uri)}`);
  return `${m[1]}/${dbName}${m[2] ?? ''}`;
}

/** The embedded server's database; an external URI names its own. */
export const EMBEDDED_DB_NAME = 'gsyf';
