import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

interface PolicyJson {
  readonly Statement: ReadonlyArray<{ readonly Effect: string; readonly Action: unknown; readonly Resource: unknown }>;
}

/**
 * An IAM role whose granted permissions go to a customer managed policy instead of the inline
 * default policy CDK attaches: the NIST 800-53, HIPAA and PCI packs refuse inline policies.
 * The policy is created on the first grant, so a role that is never granted anything has no
 * policy at all.
 */
export class ManagedPolicyRole extends iam.Role {
  private policy?: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    super(scope, id, props);
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    if (!this.policy) {
      this.policy = new iam.ManagedPolicy(this, 'Grants', {
        description: `Permissions granted to ${this.node.path}`,
        roles: [this],
      });
    }
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }

  /** The policy holding what was granted so far, if anything was. */
  public get grantsPolicy(): iam.ManagedPolicy | undefined {
    return this.policy;
  }

  /** Whether a grant so far allows `action` on every resource (`*`). */
  public allowsOnAnyResource(action: string): boolean {
    const document = this.policy ? Stack.of(this).resolve(this.policy.document) as PolicyJson : { Statement: [] };
    return document.Statement.some((statement) => statement.Effect === 'Allow'
      && [statement.Action].flat().includes(action)
      && [statement.Resource].flat().includes('*'));
  }
}
