import * as ecs from 'aws-cdk-lib/aws-ecs';

/** The container of a service that listens on a port, and its mapping for that port. */
export interface ServicePort {
  readonly container: ecs.ContainerDefinition;
  readonly mapping: ecs.PortMapping;
}

/** The port mapping of `service` for `containerPort`, or a problem description when no container maps it. */
export function findServicePort(service: ecs.FargateService, containerPort: number): ServicePort | string {
  const containers = service.taskDefinition.node.findAll().filter((c): c is ecs.ContainerDefinition => c instanceof ecs.ContainerDefinition);
  for (const container of containers) {
    const mapping = container.portMappings.find((candidate) => candidate.containerPort === containerPort);
    if (mapping) {
      return { container, mapping };
    }
  }
  const mapped = containers.flatMap((container) => container.portMappings.map((mapping) => mapping.containerPort));
  return `port ${containerPort} is not mapped by any container of ${service.node.path} (mapped: ${mapped.length > 0 ? mapped.join(', ') : 'none'})`;
}

/**
 * True when Service Connect will treat the port as plain TCP: a mapping named without an
 * application protocol. An unnamed mapping is named with HTTP by `nameServicePort`.
 */
export function isTcpOnly(port: ServicePort): boolean {
  return port.mapping.name !== undefined && port.mapping.appProtocol === undefined;
}

/**
 * The name of the port mapping, for Service Connect's `portMappingName`. A named mapping keeps
 * its name. An unnamed one is replaced by a copy named `name`, with the HTTP application
 * protocol unless it had one: HTTP gives per-request metrics, status codes and access-log
 * fields instead of bytes and connections.
 */
export function nameServicePort(port: ServicePort, name: string): string {
  if (port.mapping.name !== undefined) {
    return port.mapping.name;
  }
  // `portMappings` is the container's own list (aws-cdk-lib 2.276): removing the unnamed
  // mapping and adding it back with a name goes through the container's validation and
  // registers the name for `findPortMappingByName`.
  const mappings = port.container.portMappings;
  mappings.splice(mappings.indexOf(port.mapping), 1);
  if (port.container.portMappings.length !== mappings.length) {
    throw new Error(`cannot name the port mapping ${port.mapping.containerPort} of ${port.container.node.path}: `
      + 'this aws-cdk-lib returns a copy of portMappings; name the mapping where the container is defined');
  }
  port.container.addPortMappings({ ...port.mapping, name, appProtocol: port.mapping.appProtocol ?? ecs.AppProtocol.http });
  return name;
}
