export * from './alarm-topic';
export * from './audit-trail';
export * from './cis-cloudtrail-alarms';
export * from './log-archive';
export * from './secure-log-group';
