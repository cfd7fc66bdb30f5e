import { GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';

/** A plaintext data key and its KMS-encrypted form. */
export interface DataKey {
  readonly plaintext: Buffer;
  readonly encrypted: Buffer;
  /** ARN of the KMS key that encrypted it. */
  readonly keyId: string;
}

/** Reuse bounds, as in the AWS Encryption SDK's caching materials manager. */
export interface DataKeyCacheLimits {
  readonly maxAgeMs: number;
  readonly maxUses: number;
}

interface Entry {
  readonly key: DataKey;
  readonly createdMs: number;
  uses: number;
}

/**
 * Caches one data key from `GenerateDataKey` and hands it out until it is older than `maxAgeMs`
 * or has been used `maxUses` times, so KMS is called once per window instead of per record.
 * Concurrent callers share one in-flight request. A retired key's plaintext is zeroed.
 */
export class DataKeyCache {
  private current?: Entry;
  private inflight?: Promise<Entry>;

  constructor(
    private readonly kms: KMSClient,
    private readonly kmsKeyId: string,
    private readonly context: Readonly<Record<string, string>>,
    private readonly limits: DataKeyCacheLimits,
    private readonly clock: () => number,
  ) {}

  /** A data key within bounds; counts as one use. */
  async acquire(): Promise<DataKey> {
    const cached = this.acquireCached();
    if (cached) return cached;
    this.inflight ??= this.generate().finally(() => (this.inflight = undefined));
    let entry = await this.inflight;
    if (!this.usable(entry)) entry = await this.generate();
    entry.uses++;
    return entry.key;
  }

  /**
   * The cached key when it is within bounds (counts as one use), else undefined: the common case
   * without a promise, for the audit log's per-record path. `acquire` gets a new key.
   */
  acquireCached(): DataKey | undefined {
    const entry = this.current;
    if (!entry || !this.usable(entry)) return undefined;
    entry.uses++;
    return entry.key;
  }

  /** Zero the cached plaintext key (on shutdown). */
  clear(): void {
    this.current?.key.plaintext.fill(0);
    this.current = undefined;
  }

  private usable(entry: Entry): boolean {
    return entry.uses < this.limits.maxUses && this.clock() - entry.createdMs < this.limits.maxAgeMs;
  }

  private async generate(): Promise<Entry> {
    const out = await this.kms.send(new GenerateDataKeyCommand({ KeyId: this.kmsKeyId, KeySpec: 'AES_256', EncryptionContext: { ...this.context } }));
    if (!out.Plaintext || !out.CiphertextBlob || out.Plaintext.length !== 32) {
      throw new Error('KMS GenerateDataKey returned no 256-bit data key');
    }
    const entry: Entry = {
      key: { plaintext: Buffer.from(out.Plaintext), encrypted: Buffer.from(out.CiphertextBlob), keyId: out.KeyId ?? this.kmsKeyId },
      createdMs: this.clock(),
      uses: 0,
    };
    this.current?.key.plaintext.fill(0);
    this.current = entry;
    return entry;
  }
}
