import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { QUARANTINE_EVENT_DETAIL_TYPE, QUARANTINE_EVENT_SOURCE } from '../../monitoring/task-quarantine';
import { AUDIT_KEY_PURPOSE } from '../gateway-config';

/** The keys the gateway uses and the name that binds its audit data keys. */
export interface GatewayKeyUse {
  readonly signingKey: kms.IKey;
  readonly auditKey: kms.IKey;
  readonly gatewayName: string;
}

/**
 * Grant the gateway's code exactly what it calls KMS for, each statement on one key:
 *
 * - `kms:Sign`, only with ECDSA_SHA_256, the algorithm of the ES256 tokens the runtime mints,
 *   so the role cannot produce signatures of another kind;
 * - `kms:GetPublicKey`, to publish the JWKS upstreams verify minted tokens with (the signing
 *   algorithm condition does not apply to it, hence its own statement);
 * - `kms:GenerateDataKey` for audit payloads, only under the encryption context the runtime
 *   uses (`purpose`, this gateway's name, and a per-process `chain`), so the data keys cannot
 *   be requested for another purpose or in another gateway's name. No `kms:Decrypt`: the
 *   gateway never reads its audit payloads back.
 */
export function grantGatewayKeyUse(role: iam.IRole, use: GatewayKeyUse): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'SignUpstreamTokens',
    actions: ['kms:Sign'],
    resources: [use.signingKey.keyArn],
    conditions: { StringEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256' } },
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'PublishTokenVerificationKey',
    actions: ['kms:GetPublicKey'],
    resources: [use.signingKey.keyArn],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'EncryptAuditPayloads',
    actions: ['kms:GenerateDataKey'],
    resources: [use.auditKey.keyArn],
    conditions: {
      'StringEquals': {
        'kms:EncryptionContext:purpose': AUDIT_KEY_PURPOSE,
        'kms:EncryptionContext:gateway': use.gatewayName,
      },
      'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['purpose', 'gateway', 'chain'] },
    },
  }));
}

/**
 * Grant the gateway's code `events:PutEvents` on `bus` for quarantine requests only: the
 * `events:source` and `events:detail-type` conditions keep the role from putting any other
 * event on the bus (a forged finding, for one).
 */
export function grantQuarantineRequests(role: iam.IRole, bus: events.IEventBus): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'RequestQuarantineOfUpstreams',
    actions: ['events:PutEvents'],
    resources: [bus.eventBusArn],
    conditions: { StringEquals: { 'events:source': QUARANTINE_EVENT_SOURCE, 'events:detail-type': QUARANTINE_EVENT_DETAIL_TYPE } },
  }));
}
