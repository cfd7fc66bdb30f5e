import { randomBytes } from 'crypto';
import { openPayload, sealPayload } from '../../../src/enforcement/audit/payload-envelope';

describe('audit payload envelope (AES-256-GCM under a KMS data key)', () => {
  const key = { plaintext: randomBytes(32), encrypted: randomBytes(64), keyId: 'arn:aws:kms:us-east-1:111111111111:key/test' };

  test('every payload gets its own IV, across refills of the IV pool, and each opens with its AAD', () => {
    const sealed = Array.from({ length: 1000 }, (_, i) => ({ i, payload: sealPayload(key, Buffer.from(`payload ${i}`), Buffer.from(`chain\n${i}`)) }));
    expect(new Set(sealed.map((s) => s.payload.iv)).size).toBe(1000);
    for (const { i, payload } of sealed) {
      expect(openPayload(payload, key.plaintext, Buffer.from(`chain\n${i}`)).toString()).toBe(`payload ${i}`);
    }
  });

  test('fails to open under another AAD (a payload moved to another place in the chain)', () => {
    const payload = sealPayload(key, Buffer.from('secret'), Buffer.from('chain\n1'));
    expect(() => openPayload(payload, key.plaintext, Buffer.from('chain\n2'))).toThrow();
  });
});
