import { CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { mesh, meshFixture } from './fixture';
import { declaredPrinciples } from '../../lib/core';
import { listAcknowledgements } from '../../lib/gate';
import { expectGateClean } from '../support/gate';

const logicalId = (construct: IConstruct) => Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
const caArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^SubjectMeshCertificateAuthority'), 'Arn'] };
const tlsSecrets = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:us-east-1:111111111111:secret:ecs-sc!*']] };

describe('ServiceConnectMesh certificate authority', () => {
  test('is a root CA in short-lived certificate mode with a P-256 key, SHA-256 signatures and no revocation', () => {
    // GIVEN
    const fixture = meshFixture();

    // WHEN
    mesh(fixture);

    // THEN
    const template = Template.fromStack(fixture.stack);
    template.resourceCountIs('AWS::ACMPCA::CertificateAuthority', 1);
    template.hasResourceProperties('AWS::ACMPCA::CertificateAuthority', {
      Type: 'ROOT',
      UsageMode: 'SHORT_LIVED_CERTIFICATE',
      KeyAlgorithm: 'EC_prime256v1',
      SigningAlgorithm: 'SHA256WITHECDSA',
      KeyStorageSecurityStandard: 'FIPS_140_2_LEVEL_3_OR_HIGHER',
      Subject: { CommonName: 'MCP Service Connect mesh CA' },
      RevocationConfiguration: { CrlConfiguration: { Enabled: false }, OcspConfiguration: { Enabled: false } },
      Tags: [{ Key: 'AmazonECSManaged', Value: 'true' }],
    });
  });

  test('signs its own root certificate for ten years with the root template and activates with it', () => {
    const fixture = meshFixture();
    mesh(fixture);
    const template = Template.fromStack(fixture.stack);
    template.hasResourceProperties('AWS::ACMPCA::Certificate', {
      CertificateAuthorityArn: caArn,
      CertificateSigningRequest: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SubjectMeshCertificateAuthority'), 'CertificateSigningRequest'] },
      SigningAlgorithm: 'SHA256WITHECDSA',
      TemplateArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':acm-pca:::template/RootCACertificate/V1']] },
      Validity: { Type: 'YEARS', Value: 10 },
    });
    template.hasResourceProperties('AWS::ACMPCA::CertificateAuthorityActivation', {
      CertificateAuthorityArn: caArn,
      Certificate: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SubjectMeshRootCertificate'), 'Certificate'] },
      Status: 'ACTIVE',
    });
  });

  test('takes the common name and root validity from props', () => {
    const fixture = meshFixture();
    mesh(fixture, { certificateAuthorityName: 'Payments mesh CA', rootCertificateValidityYears: 3 });
    const template = Template.fromStack(fixture.stack);
    template.hasResourceProperties('AWS::ACMPCA::CertificateAuthority', { Subject: { CommonName: 'Payments mesh CA' } });
    template.hasResourceProperties('AWS::ACMPCA::Certificate', { Validity: { Type: 'YEARS', Value: 3 } });
  });
});

describe('ServiceConnectMesh namespace and logs', () => {
  test('creates a Cloud Map HTTP namespace, not a private DNS zone', () => {
    const fixture = meshFixture();
    const created = mesh(fixture);
    const template = Template.fromStack(fixture.stack);
    template.hasResourceProperties('AWS::ServiceDiscovery::HttpNamespace', { Name: 'mcp.internal' });
    template.resourceCountIs('AWS::ServiceDiscovery::PrivateDnsNamespace', 0);
    expect(logicalId(created.namespace)).toMatch(/^SubjectMesh[0-9A-F]{8}$/);
  });

  test('keeps proxy and access logs in a KMS-encrypted log group kept a year', () => {
    const fixture = meshFixture();
    const created = mesh(fixture);
    Template.fromStack(fixture.stack).hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [logicalId(fixture.keys.logs), 'Arn'] },
      RetentionInDays: 365,
    });
    expect(created.logGroup.node.path).toBe('Test/Subject/Mesh/Logs');
  });
});

describe('ServiceConnectMesh TLS role', () => {
  test('is an ECS infrastructure role with one customer managed policy and no AWS managed policy', () => {
    const fixture = meshFixture();
    const created = mesh(fixture);
    const template = Template.fromStack(fixture.stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' } }] },
      ManagedPolicyArns: Match.absent(),
      Policies: Match.absent(),
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: [{ Ref: logicalId(created.tlsRole) }] });
  });

  test('issues only end-entity certificates, only from the mesh CA', () => {
    const fixture = meshFixture();
    mesh(fixture);
    Template.fromStack(fixture.stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'ReadMeshCertificateAuthority',
            Effect: 'Allow',
            Action: ['acm-pca:DescribeCertificateAuthority', 'acm-pca:GetCertificate', 'acm-pca:GetCertificateAuthorityCertificate'],
            Resource: caArn,
          },
          {
            Sid: 'IssueEndEntityCertificates',
            Effect: 'Allow',
            Action: 'acm-pca:IssueCertificate',
            Resource: caArn,
            Condition: {
              StringEquals: { 'acm-pca:TemplateArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':acm-pca:::template/EndEntityCertificate/V1']] } },
            },
          },
        ]),
      },
    });
  });

  test('uses only the TLS key, for the operations Service Connect documents', () => {
    const fixture = meshFixture();
    mesh(fixture);
    Template.fromStack(fixture.stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'UseTlsKey',
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyPair'],
          Resource: { 'Fn::GetAtt': [logicalId(fixture.keys.data), 'Arn'] },
        }]),
      },
    });
  });

  test('creates, rotates and describes only Service Connect secrets of this account and region, under the tags ECS sets', () => {
    const fixture = meshFixture();
    mesh(fixture);
    const ecsArn = (resource: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ecs:us-east-1:111111111111:${resource}/*/*`]] });
    Template.fromStack(fixture.stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'CreateTaskKeySecrets',
            Effect: 'Allow',
            Action: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'],
            Resource: tlsSecrets,
            Condition: {
              ArnLike: { 'aws:RequestTag/AmazonECSCreated': [ecsArn('service'), ecsArn('task-set')] },
              StringEquals: { 'aws:RequestTag/AmazonECSManaged': 'true' },
            },
          },
          {
            Sid: 'RotateTaskKeySecrets',
            Effect: 'Allow',
            Action: [
              'secretsmanager:DeleteSecret',
              'secretsmanager:GetSecretValue',
              'secretsmanager:PutSecretValue',
              'secretsmanager:RotateSecret',
              'secretsmanager:UpdateSecret',
              'secretsmanager:UpdateSecretVersionStage',
            ],
            Resource: tlsSecrets,
            Condition: { StringEquals: { 'secretsmanager:ResourceTag/aws:secretsmanager:owningService': 'ecs-sc' } },
          },
          { Sid: 'DescribeTaskKeySecrets', Effect: 'Allow', Action: 'secretsmanager:DescribeSecret', Resource: tlsSecrets },
        ]),
      },
    });
  });

  test('grants nothing beyond the six statements', () => {
    const fixture = meshFixture();
    mesh(fixture);
    const policies = Template.fromStack(fixture.stack).findResources('AWS::IAM::ManagedPolicy', {
      Properties: { Description: Match.stringLikeRegexp('^Service Connect TLS') },
    });
    const statements = Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Sid: string }[]);
    expect(statements.map((statement) => statement.Sid)).toEqual([
      'CreateTaskKeySecrets',
      'RotateTaskKeySecrets',
      'DescribeTaskKeySecrets',
      'ReadMeshCertificateAuthority',
      'IssueEndEntityCertificates',
      'UseTlsKey',
    ]);
  });
});

describe('ServiceConnectMesh gate', () => {
  test('defaults pass the gate', () => {
    const fixture = meshFixture();
    mesh(fixture);
    expectGateClean(fixture.subject);
  });

  test('acknowledges exactly the ecs-sc! secret wildcard, which AwsSolutions-IAM5 reports', () => {
    // GIVEN
    const fixture = meshFixture();

    // WHEN
    const created = mesh(fixture);

    // THEN
    const expected = 'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:us-east-1:111111111111:secret:ecs-sc!*]';
    expect(listAcknowledgements(created).map((ack) => ack.id)).toEqual([expected]);
    const reported = new AwsSolutionsChecks(fixture.stack).validateScope(created).violations
      .filter((violation) => violation.ruleName.startsWith('AwsSolutions-IAM5'))
      .map((violation) => `AwsSolutions::${violation.ruleName}`);
    expect(reported).toEqual([expected]);
  });

  test('declares the principles it implements', () => {
    const fixture = meshFixture();
    expect(declaredPrinciples(mesh(fixture))).toEqual([
      'secure-by-default/encryption',
      'defense-in-depth/network',
      'zero-trust/just-in-time',
      'zero-trust/least-privilege',
      'secure-by-default/logging',
      'observability',
    ]);
  });
});

describe('ServiceConnectMesh validation', () => {
  test('fails on a namespace name that is not a lowercase DNS name', () => {
    const fixture = meshFixture();
    expect(() => mesh(fixture, { namespaceName: 'MCP_Internal' }))
      .toThrow("namespaceName must be lowercase DNS labels joined by dots, such as 'mcp.internal', got 'MCP_Internal'");
  });

  test('fails on an empty or overlong CA name and a root validity out of range, listing every problem', () => {
    const fixture = meshFixture();
    expect(() => mesh(fixture, { certificateAuthorityName: 'x'.repeat(65), rootCertificateValidityYears: 11 }))
      .toThrow(/certificateAuthorityName must be 1 to 64 characters[\s\S]*rootCertificateValidityYears must be a whole number from 1 to 10, got 11/);
    expect(() => mesh(meshFixture(), { certificateAuthorityName: ' ' })).toThrow('certificateAuthorityName must be 1 to 64 characters');
    expect(() => mesh(meshFixture(), { rootCertificateValidityYears: 2.5 })).toThrow('rootCertificateValidityYears must be a whole number from 1 to 10, got 2.5');
  });
});
