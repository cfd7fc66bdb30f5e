export * from './verified-access-application';
export * from './verified-access-oidc-options';
