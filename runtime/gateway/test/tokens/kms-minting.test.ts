import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { derToJose } from '../../src/tokens/der';
import { KmsSigner } from '../../src/tokens/kms-signer';
import { UpstreamTokenMinter } from '../../src/tokens/minter';

/** A KMS stand-in whose Sign and GetPublicKey are backed by a real local P-256 key. */
function kmsBackedByRealKey(failures = 0) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kms = mockClient(KMSClient);
  let failuresLeft = failures;
  kms.on(SignCommand).callsFake((input: { Message: Uint8Array; MessageType: string; SigningAlgorithm: string }) => {
    if (failuresLeft-- > 0) throw new Error('ThrottlingException');
    if (input.MessageType !== 'RAW' || input.SigningAlgorithm !== 'ECDSA_SHA_256') throw new Error('unexpected signing parameters');
    return { Signature: sign('sha256', input.Message, { key: privateKey, dsaEncoding: 'der' }), SigningAlgorithm: 'ECDSA_SHA_256' };
  });
  kms.on(GetPublicKeyCommand).resolves({ PublicKey: publicKey.export({ type: 'spki', format: 'der' }), KeySpec: 'ECC_NIST_P256' });
  return kms;
}

describe('upstream tokens signed by KMS', () => {
  test('a minted token verifies against the published JWKS with the upstream audience', async () => {
    const kms = kmsBackedByRealKey();
    const minter = new UpstreamTokenMinter({ signer: new KmsSigner(new KMSClient({ region: 'us-east-1' }), 'alias/gw'), issuer: 'https://gw.example', ttlSeconds: 300, refreshBeforeSeconds: 60 });
    const token = await minter.tokenFor('alice', 'https://notes.internal');
    const jwks = await minter.jwks();
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { issuer: 'https://gw.example', audience: 'https://notes.internal', algorithms: ['ES256'] });
    expect(payload).toMatchObject({ sub: 'alice', aud: 'https://notes.internal', act: { sub: 'https://gw.example' } });
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', typ: 'JWT', kid: jwks.keys[0].kid });
    expect(kms.commandCalls(SignCommand)[0].args[0].input).toMatchObject({ KeyId: 'alias/gw', MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' });
    kms.restore();
  });

  // proves: zero-trust/least-privilege, zero-trust/just-in-time
  test('a token for another upstream fails that upstream\'s audience check', async () => {
    const kms = kmsBackedByRealKey();
    const minter = new UpstreamTokenMinter({ signer: new KmsSigner(new KMSClient({ region: 'us-east-1' }), 'k'), issuer: 'gw', ttlSeconds: 300, refreshBeforeSeconds: 60 });
    const token = await minter.tokenFor('alice', 'urn:a');
    await expect(jwtVerify(token, createLocalJWKSet(await minter.jwks()), { audience: 'urn:b' })).rejects.toThrow(/aud/);
    kms.restore();
  });

  test('Sign is called once per (subject, upstream) until shortly before expiry, and shared by concurrent callers', async () => {
    const kms = kmsBackedByRealKey();
    let now = 1_000_000_000_000;
    const minter = new UpstreamTokenMinter({ signer: new KmsSigner(new KMSClient({ region: 'us-east-1' }), 'k'), issuer: 'gw', ttlSeconds: 300, refreshBeforeSeconds: 60, now: () => now });
    const tokens = await Promise.all(Array.from({ length: 50 }, () => minter.tokenFor('alice', 'urn:a')));
    expect(new Set(tokens).size).toBe(1);
    expect(kms.commandCalls(SignCommand)).toHaveLength(1);
    await minter.tokenFor('bob', 'urn:a');
    await minter.tokenFor('alice', 'urn:b');
    expect(kms.commandCalls(SignCommand)).toHaveLength(3);
    now += 239_000;
    await minter.tokenFor('alice', 'urn:a');
    expect(kms.commandCalls(SignCommand)).toHaveLength(3);
    now += 2_000;
    const fresh = await minter.tokenFor('alice', 'urn:a');
    expect(fresh).not.toBe(tokens[0]);
    expect(kms.commandCalls(SignCommand)).toHaveLength(4);
    kms.restore();
  });

  test('a failed KMS call is not cached: the next call tries again', async () => {
    const kms = kmsBackedByRealKey(1);
    const minter = new UpstreamTokenMinter({ signer: new KmsSigner(new KMSClient({ region: 'us-east-1' }), 'k'), issuer: 'gw', ttlSeconds: 300, refreshBeforeSeconds: 60 });
    await expect(minter.tokenFor('alice', 'urn:a')).rejects.toThrow('ThrottlingException');
    const token = await minter.tokenFor('alice', 'urn:a');
    await expect(jwtVerify(token, createLocalJWKSet(await minter.jwks()), { audience: 'urn:a' })).resolves.toBeDefined();
    kms.restore();
  });

  test('fails when the KMS key is not ECC_NIST_P256', async () => {
    const kms = mockClient(KMSClient);
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    kms.on(GetPublicKeyCommand).resolves({ PublicKey: publicKey.export({ type: 'spki', format: 'der' }), KeySpec: 'ECC_NIST_P384' });
    await expect(new KmsSigner(new KMSClient({ region: 'us-east-1' }), 'k').publicJwk()).rejects.toThrow('tokens.signer.keyId must be an ECC_NIST_P256 key, got ECC_NIST_P384');
    kms.restore();
  });
});

describe('derToJose', () => {
  test('converts DER signatures of every length to 64-byte r || s that verify', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    for (let i = 0; i < 200; i++) {
      const data = Buffer.from(`message ${i}`);
      const der = sign('sha256', data, { key: privateKey, dsaEncoding: 'der' });
      const jose = derToJose(der);
      expect(jose).toHaveLength(64);
      expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, jose)).toBe(true);
    }
  });

  test('fails on malformed DER', () => {
    expect(() => derToJose(Buffer.from([0x31, 0x00]))).toThrow('invalid DER ECDSA signature: expected SEQUENCE');
    expect(() => derToJose(Buffer.from([0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01]))).toThrow(/length mismatch|truncated/);
  });
});
