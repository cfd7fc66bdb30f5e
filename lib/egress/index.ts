export * from './egress-firewall';
