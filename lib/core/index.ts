export * from './security-principles';
