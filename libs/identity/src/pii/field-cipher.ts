import { Inject, Injectable } from '@nestjs/common';
import { IdentityOptions, IdentityOptionsToken } from '../identity.options';
import { blindIndex, decryptField, encryptField, Keyring } from './field-crypto';

/** Names of encrypted fields; each is both the AES-GCM authenticated data and the blind-index domain. */
export type PiiPurpose = 'trainee.idNumber' | 'trainee.phone' | 'instructor.idNumber';

/** The configured keys applied to the pure functions of field-crypto. */
@Injectable()
export class FieldCipher {
  private readonly keyring: Keyring;
  private readonly indexKey: Buffer;

  constructor(@Inject(IdentityOptionsToken) options: IdentityOptions) {
    this.keyring = { currentKeyId: options.pii.currentKeyId, keys: options.pii.keys };
    this.indexKey = options.pii.blindIndexKey;
  }

  encrypt(purpose: PiiPurpose, plaintext: string): string {
    return encryptField(plaintext, purpose, this.keyring);
  }

  decrypt(purpose: PiiPurpose, stored: string): string {
    return decryptField(stored, purpose, this.keyring);
  }

  /** Callers pass the normalised value (e.g. the parsed ID number), so lookups match what was stored. */
  index(purpose: PiiPurpose, value: string): string {
    return blindIndex(value, purpose, this.indexKey);
  }

  get currentKeyId(): string {
    return this.keyring.currentKeyId;
  }
}
