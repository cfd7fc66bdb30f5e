import { LogArchive } from '../../lib/logging';
import { SecurityMonitoring } from '../../lib/monitoring';
import { IAccountBaseline } from '../shared/mcp-pattern-props';

/**
 * The account baseline as the layered-defense pattern sees it: besides the access-log bucket
 * and the findings topic every pattern uses, the data layer names the log archive and the
 * monitoring layer names GuardDuty and Security Hub. `AccountBaselineStack` provides all of it.
 */
export interface ILayeredDefenseBaseline extends IAccountBaseline {
  /** The Object Lock, KMS-encrypted log archive of the account. */
  readonly archive: LogArchive;
  /** GuardDuty (with ECS Runtime Monitoring), Security Hub and the rules routing their findings. */
  readonly monitoring: SecurityMonitoring;
}
