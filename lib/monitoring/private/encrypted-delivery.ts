import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../../gate';

/**
 * Publishing to `topic` and, when the topic is encrypted, exactly the two KMS actions SNS needs
 * on the publisher's behalf (not the `kms:GenerateDataKey*` wildcard of `Topic.grantPublish`),
 * and only for this topic: SNS passes the topic ARN as encryption context.
 */
export function publishToEncryptedTopic(topic: sns.ITopic): iam.PolicyStatement[] {
  const statements = [new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] })];
  if (topic.masterKey) {
    statements.push(new iam.PolicyStatement({
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [topic.masterKey.keyArn],
      conditions: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': topic.topicArn } },
    }));
  }
  return statements;
}

/** Sending to `queue`, with KMS use limited to that queue (SQS passes its ARN as encryption context). */
export function sendToEncryptedQueue(queue: sqs.IQueue): iam.PolicyStatement[] {
  const statements = [new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] })];
  if (queue.encryptionMasterKey) {
    statements.push(new iam.PolicyStatement({
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [queue.encryptionMasterKey.keyArn],
      conditions: { StringEquals: { 'kms:EncryptionContext:aws:sqs:arn': queue.queueArn } },
    }));
  }
  return statements;
}

/**
 * Lets EventBridge write to dead-letter queues of this account and region that `key` encrypts.
 * EventBridge delivers to a target's dead-letter queue as the service principal, never through
 * a role, so only the key policy can allow it. The condition on the SQS encryption context
 * keeps the key usable by EventBridge for queues only, and only for queues of this account.
 *
 * Returns a problem description when the key policy cannot be changed (an imported key).
 */
export function allowEventBridgeDeadLetters(key: kms.IKey): string | undefined {
  const stack = Stack.of(key);
  const { statementAdded } = key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowEventBridgeDeadLettersOfThisAccount',
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    resources: ['*'],
    conditions: {
      ArnLike: { 'kms:EncryptionContext:aws:sqs:arn': `arn:${stack.partition}:sqs:${stack.region}:${stack.account}:*` },
    },
  }));
  return statementAdded
    ? undefined
    : `encryptionKey must be a key whose policy this app manages (e.g. KeyRing.logs), got the imported key ${key.node.path}: `
      + 'EventBridge could not write undelivered events to the encrypted dead-letter queue';
}

/**
 * An SQS queue for events that could not be delivered: encrypted with `key`, TLS-only, kept
 * the maximum 14 days so that an incident over a long weekend leaves evidence to replay.
 * `usedBy` names what sends to it, for the acknowledgement auditors read.
 */
export function createDeadLetterQueue(scope: Construct, id: string, key: kms.IKey, usedBy: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: key,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const reason = `This queue is itself the dead-letter queue of ${usedBy}; `
    + 'the check only recognises dead-letter queues named in another queue\'s redrive policy.';
  acknowledge(queue,
    { id: 'AwsSolutions::AwsSolutions-SQS3', reason },
    { id: 'cdk-validator-cfnguard::sqs_dlq_check', reason },
  );
  return queue;
}
