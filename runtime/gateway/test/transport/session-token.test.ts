import { SessionCodec, SessionState } from '../../src/transport/session-token';

const STATE: SessionState = { sid: SessionCodec.newSid(), sub: 'alice', ep: '*', iat: 1, exp: 2, pv: '2025-11-25', up: { notes: { s: 'upstream-session', v: '2025-06-18' } } };

// proves: defense-in-depth/identity, isolation/temporal
describe('encrypted, subject-bound session ids', () => {
  const codec = new SessionCodec(Buffer.alloc(32, 1));

  test('round-trips and is visible ASCII without the plaintext', () => {
    const id = codec.seal(STATE);
    expect(id).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(id).not.toContain('alice');
    expect(Buffer.from(id.slice(3), 'base64url').toString('latin1')).not.toContain('upstream-session');
    expect(codec.open(id)).toEqual(STATE);
  });

  test('every seal is different (fresh IV) and session ids are random', () => {
    expect(codec.seal(STATE)).not.toBe(codec.seal(STATE));
    expect(new Set(Array.from({ length: 1000 }, () => SessionCodec.newSid())).size).toBe(1000);
  });

  test('a flipped bit, a truncation, another key or garbage does not open', () => {
    const id = codec.seal(STATE);
    const raw = Buffer.from(id.slice(3), 'base64url');
    for (const index of [0, 12, raw.length - 1]) {
      const flipped = Buffer.from(raw);
      flipped[index] ^= 1;
      expect(codec.open(`v1.${flipped.toString('base64url')}`)).toBeUndefined();
    }
    expect(codec.open(id.slice(0, -2))).toBeUndefined();
    expect(new SessionCodec(Buffer.alloc(32, 2)).open(id)).toBeUndefined();
    expect(codec.open('v1.')).toBeUndefined();
    expect(codec.open('x'.repeat(5000))).toBeUndefined();
  });

  test('previous keys open old sessions during rotation; new ones use the current key', () => {
    const old = new SessionCodec(Buffer.alloc(32, 1));
    const rotated = new SessionCodec(Buffer.alloc(32, 3), [Buffer.alloc(32, 1)]);
    expect(rotated.open(old.seal(STATE))).toEqual(STATE);
    expect(old.open(rotated.seal(STATE))).toBeUndefined();
  });

  test('fails with short key material', () => {
    expect(() => new SessionCodec(Buffer.alloc(16))).toThrow('session key material must be at least 32 bytes, got 16');
  });
});
