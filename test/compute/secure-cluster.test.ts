import { Match, Template } from 'aws-cdk-lib/assertions';
import { computeFixture } from './fixture';
import { declaredPrinciples } from '../../lib/core';
import { listAcknowledgements } from '../../lib/gate';
import { expectGateClean } from '../support/gate';

describe('SecureCluster', () => {
  // proves: observability, secure-by-default/monitoring
  test('turns on Container Insights with enhanced observability', () => {
    // GIVEN / WHEN
    const fixture = computeFixture();

    // THEN
    Template.fromStack(fixture.stack).hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }],
    });
  });

  test('has no EC2 capacity', () => {
    const fixture = computeFixture();
    const template = Template.fromStack(fixture.stack);
    template.resourceCountIs('AWS::AutoScaling::AutoScalingGroup', 0);
    template.resourceCountIs('AWS::ECS::CapacityProvider', 0);
    template.hasResourceProperties('AWS::ECS::Cluster', { CapacityProviders: Match.absent() });
  });

  test('declares the principles it implements', () => {
    const fixture = computeFixture();
    expect(declaredPrinciples(fixture.cluster)).toEqual(['observability', 'secure-by-default/monitoring', 'isolation/process']);
  });

  test('acknowledges only the Control Tower check that predates enhanced Container Insights', () => {
    const fixture = computeFixture();
    expect(listAcknowledgements(fixture.cluster)).toEqual([expect.objectContaining({
      id: 'cdk-validator-cfnguard::ecs_container_insights_enabled_check',
      reason: expect.stringContaining('enhanced'),
    })]);
  });

  test('passes the gate', () => {
    const fixture = computeFixture();
    expectGateClean(fixture.cluster);
  });
});
