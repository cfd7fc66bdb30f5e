export * from './create-federated-gateway';
export * from './federated-gateway-hub-stack';
export * from './hub-references';
export * from './federated-gateway-spoke-stack';
export * from './federated-spoke-server';
export * from './federated-upstream';
