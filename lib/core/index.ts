export * from './security-principles';
export * from './controls';
