export * from './account-baseline-stack';
