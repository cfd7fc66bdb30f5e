export * from './all-traffic-flow-log';
export * from './data-perimeter-endpoints';
export * from './segmented-vpc';
export * from './tier-network-acls';
