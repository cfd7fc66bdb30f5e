export * from './secure-log-group';
