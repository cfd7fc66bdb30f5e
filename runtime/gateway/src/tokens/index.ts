export * from './der';
export * from './kms-signer';
export * from './minter';
export * from './signer';
