import { promises as fs } from 'fs';
import type { AuditRecord } from './audit-record';

/**
 * A destination for audit lines. `write` resolves only once the line is handed over (written to
 * the file or the stdout pipe); a rejection means the record may be lost and, in fail-closed
 * mode, the request is denied.
 */
export interface AuditSink {
  /** Write one JSON line (without the trailing newline). */
  write(line: string): Promise<void>;
  /** Write several lines at once (group commit); `write` is used line by line when absent. */
  writeBatch?(lines: readonly string[]): Promise<void>;
  close?(): Promise<void>;
}

/** Line formats: plain JSON lines, or JSON lines carrying a CloudWatch Embedded Metric. */
export type AuditLineFormat = 'jsonl' | 'cloudwatch';

/**
 * One record as one line. `cloudwatch` adds an Embedded Metric Format block, so CloudWatch Logs
 * (the awslogs driver forwards stdout) derives a `Decisions` count per gateway and decision
 * without a metric filter; the added keys are outside the record hash.
 */
export function formatAuditLine(record: AuditRecord, format: AuditLineFormat): string {
  const line = JSON.stringify(record);
  return format === 'jsonl' ? line : withEmbeddedMetric(line, record.time);
}

/**
 * A JSON line of a record with the Embedded Metric Format block appended: the bytes
 * `JSON.stringify({ ...record, _aws, Decisions: 1 })` writes, from the record's own line.
 */
export function withEmbeddedMetric(line: string, time: string): string {
  const aws = {
    Timestamp: Date.parse(time),
    CloudWatchMetrics: [{ Namespace: 'McpGateway/Audit', Dimensions: [['gateway', 'decision']], Metrics: [{ Name: 'Decisions', Unit: 'Count' }] }],
  };
  return `${line.slice(0, -1)},"_aws":${JSON.stringify(aws)},"Decisions":1}`;
}

/** Writes to the process's standard output (collected by the container log driver). */
export class StdoutSink implements AuditSink {
  constructor(private readonly stream: NodeJS.WritableStream = process.stdout) {}

  write(line: string): Promise<void> {
    return this.writeBatch([line]);
  }

  writeBatch(lines: readonly string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stream.write(lines.length === 1 ? `${lines[0]}\n` : `${lines.join('\n')}\n`, (error) => (error ? reject(error) : resolve()));
    });
  }
}

/** Appends to a file (created with mode 0600); optionally fsyncs every batch. */
export class FileSink implements AuditSink {
  private handle?: Promise<fs.FileHandle>;

  constructor(private readonly path: string, private readonly fsync = false) {}

  write(line: string): Promise<void> {
    return this.writeBatch([line]);
  }

  async writeBatch(lines: readonly string[]): Promise<void> {
    this.handle ??= fs.open(this.path, 'a', 0o600).catch((error: unknown) => {
      this.handle = undefined; // retry the open on the next write
      throw error;
    });
    const handle = await this.handle;
    await handle.write(lines.map((l) => `${l}\n`).join(''));
    if (this.fsync) await handle.datasync();
  }

  async close(): Promise<void> {
    const handle = await this.handle;
    this.handle = undefined;
    await handle?.close();
  }
}
