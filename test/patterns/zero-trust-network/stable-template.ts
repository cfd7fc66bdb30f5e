import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/**
 * Asset hashes (container image tags, Lambda code keys, hashes in asset-derived names) change
 * whenever code elsewhere in the repository does; they are replaced so that a snapshot shows
 * changes of the pattern only.
 */
const ASSET_HASH = /[a-f0-9]{64}/g;

/** The stack's template with asset hashes replaced by a placeholder. */
export function stableTemplate(stack: Stack): unknown {
  return JSON.parse(JSON.stringify(Template.fromStack(stack).toJSON()).replace(ASSET_HASH, '<asset hash>'));
}
