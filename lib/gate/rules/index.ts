import { McpRule } from '../mcp-rule';
import { AlbListenerTls } from './AlbListenerTls';
import { AlbWafAssociated } from './AlbWafAssociated';
import { CognitoClientOAuth21Flows } from './CognitoClientOAuth21Flows';
import { CognitoMfaRequired } from './CognitoMfaRequired';
import { CognitoTokenLifetimes } from './CognitoTokenLifetimes';
import { EcsContainerLeastPrivilege } from './EcsContainerLeastPrivilege';
import { EcsExecDisabled } from './EcsExecDisabled';
import { EcsNoPublicIp } from './EcsNoPublicIp';
import { IamNoWildcardPermissions } from './IamNoWildcardPermissions';
import { KmsKeyRotation } from './KmsKeyRotation';
import { LatticeAuthIam } from './LatticeAuthIam';
import { LogGroupKmsEncrypted } from './LogGroupKmsEncrypted';
import { LogGroupRetention } from './LogGroupRetention';
import { NoPlaintextSecrets } from './NoPlaintextSecrets';
import { SecurityGroupWorldIngressHttpsOnly } from './SecurityGroupWorldIngressHttpsOnly';

export * from './AlbListenerTls';
export * from './AlbWafAssociated';
export * from './CognitoClientOAuth21Flows';
export * from './CognitoMfaRequired';
export * from './CognitoTokenLifetimes';
export * from './EcsContainerLeastPrivilege';
export * from './EcsExecDisabled';
export * from './EcsNoPublicIp';
export * from './IamNoWildcardPermissions';
export * from './KmsKeyRotation';
export * from './LatticeAuthIam';
export * from './LogGroupKmsEncrypted';
export * from './LogGroupRetention';
export * from './NoPlaintextSecrets';
export * from './SecurityGroupWorldIngressHttpsOnly';

/**
 * Every rule of the MCP pack, in the order they run (network, identity and access, workload,
 * data, logging). A rule file exports one `McpRule`; adding it here is what activates it.
 */
export const MCP_RULES: readonly McpRule[] = [
  // Network perimeter and segmentation
  SecurityGroupWorldIngressHttpsOnly,
  AlbListenerTls,
  AlbWafAssociated,
  EcsNoPublicIp,
  LatticeAuthIam,
  // Identity and access
  CognitoMfaRequired,
  CognitoClientOAuth21Flows,
  CognitoTokenLifetimes,
  IamNoWildcardPermissions,
  // Workload isolation
  EcsContainerLeastPrivilege,
  EcsExecDisabled,
  // Data protection
  NoPlaintextSecrets,
  KmsKeyRotation,
  LogGroupKmsEncrypted,
  // Logging
  LogGroupRetention,
];
