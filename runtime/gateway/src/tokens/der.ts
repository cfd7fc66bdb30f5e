/**
 * Converts an ASN.1 DER ECDSA signature (`SEQUENCE { r INTEGER, s INTEGER }`, what KMS `Sign`
 * returns) to the fixed-width JOSE form `r || s` (RFC 7518 section 3.4).
 *
 * @param size byte length of each integer: 32 for P-256.
 */
export function derToJose(der: Uint8Array, size = 32): Uint8Array {
  let offset = 0;
  const expect = (byte: number, what: string) => {
    if (der[offset++] !== byte) throw new Error(`invalid DER ECDSA signature: expected ${what}`);
  };
  const readLength = (): number => {
    const first = der[offset++];
    if (first < 0x80) return first;
    const count = first - 0x80;
    if (count < 1 || count > 2) throw new Error('invalid DER ECDSA signature: bad length');
    let length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[offset++];
    return length;
  };
  const readInteger = (): Uint8Array => {
    expect(0x02, 'INTEGER');
    const length = readLength();
    let value = der.subarray(offset, offset + length);
    offset += length;
    if (value.length !== length) throw new Error('invalid DER ECDSA signature: truncated');
    while (value.length > size && value[0] === 0) value = value.subarray(1);
    if (value.length > size) throw new Error('invalid DER ECDSA signature: integer too large');
    const padded = new Uint8Array(size);
    padded.set(value, size - value.length);
    return padded;
  };
  expect(0x30, 'SEQUENCE');
  const total = readLength();
  if (total !== der.length - offset) throw new Error('invalid DER ECDSA signature: length mismatch');
  const r = readInteger();
  const s = readInteger();
  if (offset !== der.length) throw new Error('invalid DER ECDSA signature: trailing bytes');
  const out = new Uint8Array(size * 2);
  out.set(r, 0);
  out.set(s, size);
  return out;
}
