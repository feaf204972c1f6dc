import { generateKeyPairSync } from 'node:crypto';
import { AppConfig, developmentSecretFile } from '@app/platform';
import { SigningKey, signingKeyFrom } from './checkpoint';

/**
 * The checkpoint signing key: AUDIT_SIGNING_KEY in production; otherwise a development key
 * created once under dataDir (mode 0600, shared by the processes of one installation), as the
 * media secret is. Losing it only means older checkpoints can no longer be checked against it.
 */
export function auditSigningKey(config: Pick<AppConfig, 'dataDir' | 'audit'>): SigningKey {
  const pem =
    config.audit.signingKey ??
    developmentSecretFile(config.dataDir, 'audit-signing-key.pem', () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  return signingKeyFrom(pem);
}
