export * from './access-token-verifier';
export * from './challenge';
export * from './metadata';
