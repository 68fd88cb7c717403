/**
 * One moto S3 server for the whole test run, with credentials enforced (SigV4 checked against a
 * key moto generated) and the fixtures' bucket created. Tests reach it with `inject('s3')`.
 */
import { TEST_BUCKET } from './fixtures';
import { startMotoServer } from './moto-server';

/** What the tests learn about the run's S3 server. */
export interface TestS3 {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    s3: TestS3;
  }
}

export default async function setup(project: { provide(key: 's3', value: TestS3): void }) {
  const moto = await startMotoServer({ buckets: [TEST_BUCKET], enforceCredentials: true });
  project.provide('s3', { endpoint: moto.endpoint, bucket: TEST_BUCKET, ...moto.credentials! });
  return async () => {
    await moto.stop();
  };
}
