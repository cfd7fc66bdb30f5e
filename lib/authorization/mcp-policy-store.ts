import * as fs from 'fs';
import * as path from 'path';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as verifiedpermissions from 'aws-cdk-lib/aws-verifiedpermissions';
import { Construct } from 'constructs';
import { validateCedarPolicies } from './cedar-policy-set';
import { declarePrinciples } from '../core/controls';

/** Properties of an McpPolicyStore. */
export interface McpPolicyStoreProps {
  /** The Cedar schema, human-readable form (`.cedarschema`). */
  readonly schema: string;
  /** The Cedar policy set (`.cedar`): static policies only. */
  readonly policies: string;
  /**
   * Where the schema and policies come from, for error messages.
   * @default 'inline policies'
   */
  readonly source?: string;
  /**
   * Description of the policy store.
   * @default - names the MCP security gateway
   */
  readonly description?: string;
  /**
   * What happens to the policy store when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An Amazon Verified Permissions policy store holding the same Cedar schema and policies the
 * MCP security gateway evaluates: STRICT validation, deletion protection, one `CfnPolicy`
 * per statement. The policies are validated against the schema at synth time.
 */
export class McpPolicyStore extends Construct {
  /**
   * Read `<dir>/<schemaFile>` and `<dir>/<policyFile>`, e.g. the gateway's `runtime/gateway/policies`.
   */
  public static fromDirectory(scope: Construct, id: string, dir: string, files: { schema: string; policies: string }): McpPolicyStore {
    const read = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
    return new McpPolicyStore(scope, id, {
      schema: read(files.schema),
      policies: read(files.policies),
      source: `${path.basename(dir)}/${files.policies}`,
    });
  }

  /** The L1 policy store. */
  public readonly policyStore: verifiedpermissions.CfnPolicyStore;
  /** Policy store id, for the gateway's configuration. */
  public readonly policyStoreId: string;
  /** Policy store ARN. */
  public readonly policyStoreArn: string;
  /** Number of policy statements deployed. */
  public readonly policyCount: number;

  constructor(scope: Construct, id: string, props: McpPolicyStoreProps) {
    super(scope, id);
    const validated = validateCedarPolicies(props.schema, props.policies, props.source ?? 'inline policies');
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.policyStore = new verifiedpermissions.CfnPolicyStore(this, 'Resource', {
      description: props.description ?? 'Cedar policies of the MCP security gateway (per-tool authorization)',
      validationSettings: { mode: 'STRICT' },
      deletionProtection: { mode: 'ENABLED' },
      schema: { cedarJson: validated.schemaJson },
    });
    this.policyStore.applyRemovalPolicy(removalPolicy);
    this.policyStoreId = this.policyStore.attrPolicyStoreId;
    this.policyStoreArn = this.policyStore.attrArn;
    this.policyCount = validated.policies.length;

    validated.policies.forEach((statement, index) => {
      const policy = new verifiedpermissions.CfnPolicy(this, `Policy${index}`, {
        policyStoreId: this.policyStoreId,
        definition: { static: { statement, description: policyDescription(statement) } },
      });
      policy.applyRemovalPolicy(removalPolicy);
    });

    declarePrinciples(this, 'defense-in-depth/authorization', 'zero-trust/least-privilege', 'zero-trust/continuous-verification');
  }

  /** Allow `grantee` to ask this store for authorization decisions, and nothing else. */
  public grantIsAuthorized(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['verifiedpermissions:IsAuthorized', 'verifiedpermissions:IsAuthorizedWithToken', 'verifiedpermissions:BatchIsAuthorized'],
      resourceArns: [this.policyStoreArn],
    });
  }
}

/** A policy's `@description("…")` or `@id("…")` annotation (at most 150 characters), as its description. */
function policyDescription(statement: string): string | undefined {
  const answer = cedar.policyToJson(statement);
  const annotations = answer.type === 'success' ? answer.json.annotations ?? {} : {};
  const text = annotations.description ?? annotations.id;
  return text ? text.slice(0, 150) : undefined;
}
