import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { acknowledge, listAcknowledgements, McpChecks, SecurityGate } from '../../lib/gate';
import { gateFindings } from '../support/gate';

describe('SecurityGate', () => {
  test('registers the four public packs and the MCP pack', () => {
    const app = new App();
    const packs = SecurityGate.apply(app);
    expect(packs.map((p) => p.name)).toEqual(['AwsSolutions', 'NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321', 'Mcp']);
  });

  test('reports an unencrypted topic, and an acknowledgement on the topic clears it', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'S');
    const topic = new sns.Topic(stack, 'Topic');
    // THEN
    expect(gateFindings(stack).map((f) => f.id)).toContain('AwsSolutions::AwsSolutions-SNS3');
    // WHEN
    acknowledge(topic, { id: 'AwsSolutions::AwsSolutions-SNS3', reason: 'Test topic only; TLS enforcement is checked in another test.' });
    // THEN
    expect(gateFindings(stack).map((f) => f.id)).not.toContain('AwsSolutions::AwsSolutions-SNS3');
    expect(listAcknowledgements(app)).toEqual([
      { id: 'AwsSolutions::AwsSolutions-SNS3', reason: 'Test topic only; TLS enforcement is checked in another test.', path: 'S/Topic' },
    ]);
  });
});

describe('SecurityGate.apply at synth', () => {
  const ECS_EXEC_REASON = 'Debug service of the test; ECS Exec is the subject of this test.';

  /** Two ECS services with ECS Exec on: the only findings are Mcp-EcsExecDisabled warnings. */
  function appWithTwoExecServices(register: (app: App) => void) {
    const app = new App();
    register(app);
    const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'us-east-1' } });
    const debug = new ecs.CfnService(stack, 'Debug', { enableExecuteCommand: true });
    const acknowledged = new ecs.CfnService(stack, 'Acknowledged', { enableExecuteCommand: true });
    acknowledge(acknowledged, { id: 'Mcp::Mcp-EcsExecDisabled', reason: ECS_EXEC_REASON });
    return { app, debug };
  }

  test('fails synth on an error-level finding', () => {
    const app = new App();
    SecurityGate.apply(app);
    new sns.Topic(new Stack(app, 'S'), 'Topic');
    expect(() => app.synth()).toThrow(/AwsSolutions::AwsSolutions-SNS3/);
  });

  test('fails synth on a warning-level finding, even when another finding of the pack is acknowledged', () => {
    const { app } = appWithTwoExecServices((a) => SecurityGate.apply(a));
    expect(() => app.synth()).toThrow(/S\/Debug[^\n]*\n[^\n]*Acknowledge with 'Mcp::Mcp-EcsExecDisabled'/);
  });

  test('a bare pack lets that warning pass: the reason apply() reports warnings as errors', () => {
    // aws-cdk-lib recomputes success as "no errors" once a finding of the report is acknowledged.
    const { app } = appWithTwoExecServices((a) => Validations.of(a).addPlugins(new McpChecks(a)));
    expect(() => app.synth()).not.toThrow();
  });

  test('passes synth once every finding is acknowledged', () => {
    const { app, debug } = appWithTwoExecServices((a) => SecurityGate.apply(a));
    acknowledge(debug, { id: 'Mcp::Mcp-EcsExecDisabled', reason: ECS_EXEC_REASON });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('acknowledge', () => {
  test('fails when the reason is shorter than 20 characters', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => acknowledge(stack, { id: 'AwsSolutions::AwsSolutions-SNS3', reason: 'because' })).toThrow(
      /reason for 'AwsSolutions::AwsSolutions-SNS3' must be at least 20 characters/,
    );
  });

  test('fails when the id has no pack namespace', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => acknowledge(stack, { id: 'AwsSolutions-SNS3', reason: 'a long enough reason for the test' })).toThrow(
      /must be qualified with its pack/,
    );
  });

  test('fails to acknowledge a wildcard-permission finding on a whole stack', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => acknowledge(stack, { id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]', reason: 'a long enough reason for the test' })).toThrow(
      /wildcard-permission finding and cannot be acknowledged for all of S/,
    );
  });

  test('accepts granular ids that contain several "::" on a resource', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const topic = new sns.Topic(stack, 'Topic');
    const id = 'AwsSolutions::AwsSolutions-IAM5[Resource::arn:aws:s3:::bucket/*]';
    acknowledge(topic, { id, reason: 'Scoped to one bucket prefix, not account wide.' });
    expect(listAcknowledgements(app).map((a) => a.id)).toEqual([id]);
  });
});
