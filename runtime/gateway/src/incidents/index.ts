export * from './event-publisher';
export * from './from-config';
export * from './quarantine-requester';
