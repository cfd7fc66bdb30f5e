import { Stack } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import { Construct } from 'constructs';

/**
 * Key of the mesh CA: NIST P-256. Service Connect accepts CAs with 256-bit ECDSA or 2048-bit
 * RSA keys; P-256 gives 128-bit security (RSA 2048 gives about 112) with smaller certificates
 * and cheaper handshakes, and the proxies on both ends of a connection are Service Connect's own.
 */
export const CA_KEY_ALGORITHM = 'EC_prime256v1';

/** SHA-256 matches the 128-bit security level of P-256; a longer hash adds nothing. */
export const CA_SIGNING_ALGORITHM = 'SHA256WITHECDSA';

/** Tag Service Connect requires on any Private CA it issues certificates from. */
export const ECS_MANAGED_TAG = { key: 'AmazonECSManaged', value: 'true' } as const;

/** What the CA is called and how long its own certificate lasts; validated by the caller. */
export interface ShortLivedRootCaOptions {
  readonly commonName: string;
  readonly validityYears: number;
}

/** The CA and the activation that makes it issue; depend on the activation, not the CA. */
export interface ShortLivedRootCa {
  readonly certificateAuthority: acmpca.CfnCertificateAuthority;
  readonly activation: acmpca.CfnCertificateAuthorityActivation;
}

/**
 * A one-level private PKI for a Service Connect mesh: a ROOT CA in short-lived certificate mode
 * (US$50 a month instead of US$400 for general purpose, and every certificate it issues expires
 * within seven days), its self-signed certificate, and the activation that installs it.
 *
 * A root rather than a subordinate: the kit then needs no general-purpose parent CA, and a
 * short-lived CA must be the last CA of its hierarchy anyway. Revocation is off on purpose:
 * Service Connect does not check revocation and rotates certificates every five days instead.
 * The key never leaves a FIPS 140-2 level 3 HSM, the Private CA default, stated here so that the
 * template shows it.
 */
export function shortLivedRootCa(scope: Construct, options: ShortLivedRootCaOptions): ShortLivedRootCa {
  const certificateAuthority = new acmpca.CfnCertificateAuthority(scope, 'CertificateAuthority', {
    type: 'ROOT',
    usageMode: 'SHORT_LIVED_CERTIFICATE',
    keyAlgorithm: CA_KEY_ALGORITHM,
    signingAlgorithm: CA_SIGNING_ALGORITHM,
    keyStorageSecurityStandard: 'FIPS_140_2_LEVEL_3_OR_HIGHER',
    subject: { commonName: options.commonName },
    revocationConfiguration: {
      crlConfiguration: { enabled: false },
      ocspConfiguration: { enabled: false },
    },
    tags: [{ ...ECS_MANAGED_TAG }],
  });

  const rootCertificate = new acmpca.CfnCertificate(scope, 'RootCertificate', {
    certificateAuthorityArn: certificateAuthority.attrArn,
    certificateSigningRequest: certificateAuthority.attrCertificateSigningRequest,
    signingAlgorithm: CA_SIGNING_ALGORITHM,
    templateArn: `arn:${Stack.of(scope).partition}:acm-pca:::template/RootCACertificate/V1`,
    validity: { type: 'YEARS', value: options.validityYears },
  });

  const activation = new acmpca.CfnCertificateAuthorityActivation(scope, 'Activation', {
    certificateAuthorityArn: certificateAuthority.attrArn,
    certificate: rootCertificate.attrCertificate,
    status: 'ACTIVE',
  });
  return { certificateAuthority, activation };
}
