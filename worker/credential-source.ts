/**
 * Where the worker's Agora credentials come from now. Values set as variables never change;
 * ones configured as `_FILE` are read again on demand: the id and secret when Agora answers 401
 * (a rotated customer secret), the App Certificate at every start (tokens are signed then). A
 * file that cannot be read keeps the last good value, with a warning naming the file only.
 */
import type { AgoraCredentials } from '../agora';
import type { WorkerConfig } from './config';
import { readSecretFile } from './secret-file';

export type CredentialConfig = Pick<
  WorkerConfig,
  'AGORA_CUSTOMER_ID' | 'AGORA_CUSTOMER_SECRET' | 'AGORA_APP_CERTIFICATE'
> &
  Partial<
    Pick<WorkerConfig, 'AGORA_CUSTOMER_ID_FILE' | 'AGORA_CUSTOMER_SECRET_FILE' | 'AGORA_APP_CERTIFICATE_FILE'>
  >;

export interface CredentialSource {
  /** The customer id and secret as the files hold them now (for AgoraClient.refreshCredentials). */
  customer(): AgoraCredentials;
  /** The App Certificate as it is now, if the project has one. */
  appCertificate(): string | undefined;
}

export function credentialSource(
  config: CredentialConfig,
  warn: (message: string) => void = (m) => console.warn(m),
): CredentialSource {
  let id = config.AGORA_CUSTOMER_ID;
  let secret = config.AGORA_CUSTOMER_SECRET;
  let certificate = config.AGORA_APP_CERTIFICATE;
  const reread = (file: string | undefined, last: string): string => {
    if (file === undefined) return last;
    const read = readSecretFile(file);
    if (read.ok) return read.value;
    warn(`agora credentials: keeping the last good value: ${read.problem}`);
    return last;
  };
  return {
    customer() {
      id = reread(config.AGORA_CUSTOMER_ID_FILE, id);
      secret = reread(config.AGORA_CUSTOMER_SECRET_FILE, secret);
      return { customerId: id, customerSecret: secret };
    },
    appCertificate() {
      if (certificate === undefined && config.AGORA_APP_CERTIFICATE_FILE === undefined) return undefined;
      certificate = reread(config.AGORA_APP_CERTIFICATE_FILE, certificate ?? '') || undefined;
      return certificate;
    },
  };
}
