import { Token } from 'aws-cdk-lib';

/**
 * Capacity reserved for the domain allow-list rule group. Network Firewall cannot resize a
 * rule group, and a resized one is replaced, which fails while the old one still holds its
 * name; so the capacity is fixed and generous (reserving capacity costs nothing).
 */
export const DOMAIN_LIST_CAPACITY = 1000;

/**
 * The most domains that fit: with both TLS_SNI and HTTP_HOST inspected the first domain
 * takes 3 capacity units and each further domain 2.
 */
export const MAX_ALLOWED_DOMAINS = Math.floor((DOMAIN_LIST_CAPACITY - 1) / 2);

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
/** `api.example.com`, or `.example.com` for a domain and all its subdomains; two labels at least. */
const DOMAIN = new RegExp(`^\\.?(?:${LABEL}\\.)+${LABEL}$`);
const MAX_DOMAIN_LENGTH = 253;

/** Every problem with `allowedDomains`, one sentence each naming the prop; empty when valid. */
export function allowedDomainProblems(allowedDomains: readonly string[]): string[] {
  const problems: string[] = [];
  if (allowedDomains.length === 0) {
    problems.push('allowedDomains: at least one domain is required; a firewall that allows no domain drops all egress, ' +
      'which the VPC already does without one (egress \'none\')');
  }
  if (allowedDomains.length > MAX_ALLOWED_DOMAINS) {
    problems.push(`allowedDomains: ${allowedDomains.length} domains given; at most ${MAX_ALLOWED_DOMAINS} fit the rule group's capacity of ${DOMAIN_LIST_CAPACITY}`);
  }
  for (const domain of allowedDomains.filter((d) => !Token.isUnresolved(d))) {
    const problem = domainProblem(domain);
    if (problem) problems.push(`allowedDomains: '${domain}' ${problem}`);
  }
  const duplicates = allowedDomains.filter((domain, i) => allowedDomains.indexOf(domain) !== i);
  if (duplicates.length > 0) {
    problems.push(`allowedDomains: ${[...new Set(duplicates)].map((d) => `'${d}'`).join(', ')} listed more than once`);
  }
  return problems;
}

function domainProblem(domain: string): string | undefined {
  if (domain.startsWith('*')) {
    return `is a wildcard; write '${domain.replace(/^\*+/, '')}' (a leading dot matches the domain and all its subdomains)`;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(domain) || /[/:]/.test(domain)) {
    return 'has a scheme, port or path; give the host name only, e.g. \'api.example.com\'';
  }
  if (domain !== domain.toLowerCase()) {
    return `has upper-case letters; write '${domain.toLowerCase()}'`;
  }
  const labels = domain.replace(/^\./, '').split('.');
  if (labels.length < 2) {
    return 'has a single label and would allow a whole top-level domain; name the domain, e.g. \'.example.com\'';
  }
  if (!DOMAIN.test(domain) || domain.length > MAX_DOMAIN_LENGTH) {
    return 'is not a domain name; use \'api.example.com\' for one host or \'.example.com\' for a domain and its subdomains';
  }
  if (/^\d+$/.test(labels[labels.length - 1])) {
    return 'is an IP address; the firewall matches names (TLS SNI and HTTP Host), never addresses';
  }
  return undefined;
}
