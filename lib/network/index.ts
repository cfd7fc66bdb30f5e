export * from './all-traffic-flow-log';
export * from './data-perimeter-endpoints';
export * from './segmented-vpc';
export * from './segmented-vpc-props';
export * from './tier-network-acls';
