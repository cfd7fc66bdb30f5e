import { createReadStream } from 'fs';
import { createInterface } from 'readline';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { encryptionContext } from './audit-record';
import { DataKeyUnwrapper, VerifyReport, verifyAuditLines } from './chain-verifier';

const USAGE = `usage: verify-cli <audit.jsonl> [--decrypt [--show-payloads]] [--region <aws-region>]

Verifies the hash chain of an MCP gateway audit log and reports the first broken link.
--decrypt        also verifies every record's seal and decrypts every payload with AWS KMS
                 (needs kms:Decrypt on the audit key); unsealed records then count as broken
--show-payloads  prints each decrypted payload as {"chain","seq","payload"} before the report
exit status: 0 chain intact, 1 broken link found, 2 usage or I/O error`;

/** What `main` needs from its environment (tests pass a mocked KMS client and capture output). */
export interface VerifyCliDeps {
  readonly kms?: KMSClient;
  readonly out?: (text: string) => void;
}

/** Unwraps audit data keys with KMS `Decrypt`, under the encryption context they were generated with. */
export function kmsDataKeyUnwrapper(kms: KMSClient): DataKeyUnwrapper {
  return async (edk, kmsKeyId, { gateway, chain }) => {
    const out = await kms.send(new DecryptCommand({ CiphertextBlob: edk, KeyId: kmsKeyId, EncryptionContext: encryptionContext(gateway, chain) }));
    if (!out.Plaintext) throw new Error('KMS Decrypt returned no plaintext');
    return Buffer.from(out.Plaintext);
  };
}

/** Run the verifier; returns the exit status. */
export async function main(argv: readonly string[], deps: VerifyCliDeps = {}): Promise<number> {
  const out = deps.out ?? ((text: string) => process.stdout.write(`${text}\n`));
  const args = [...argv];
  const decrypt = takeFlag(args, '--decrypt');
  const showPayloads = takeFlag(args, '--show-payloads');
  const region = takeOption(args, '--region');
  if (args.length !== 1 || args[0].startsWith('-')) {
    out(USAGE);
    return 2;
  }
  const kms = decrypt ? deps.kms ?? new KMSClient(region ? { region } : {}) : undefined;
  let report: VerifyReport;
  try {
    const lines = createInterface({ input: createReadStream(args[0], 'utf8'), crlfDelay: Infinity });
    report = await verifyAuditLines(lines, {
      unwrapDataKey: kms ? kmsDataKeyUnwrapper(kms) : undefined,
      onPayload: showPayloads ? (at, plaintext) => out(JSON.stringify({ ...at, payload: JSON.parse(plaintext.toString('utf8')) as unknown })) : undefined,
    });
  } catch (error) {
    out(JSON.stringify({ ok: false, error: (error as Error).message }));
    return 2;
  }
  out(JSON.stringify(report, null, 2));
  return report.ok ? 0 : 1;
}

function takeFlag(args: string[], flag: string): boolean {
  const i = args.indexOf(flag);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
}

function takeOption(args: string[], option: string): string | undefined {
  const i = args.indexOf(option);
  if (i < 0) return undefined;
  const [, value] = args.splice(i, 2);
  return value;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((status) => (process.exitCode = status), (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 2;
  });
}
