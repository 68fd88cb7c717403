/**
 * Agora REST bodies for tests of the Agora client, its schemas and the emulator: built from the
 * reference's screenshot-only start example (individual mode, v1), a fresh deep copy per call.
 */

/** Edits a fresh copy of a valid body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Mutator = (body: any) => void;

const REFERENCE_START = {
  cname: 'room42',
  uid: '527841',
  clientRequest: {
    recordingConfig: {
      channelType: 1,
      streamTypes: 1,
      maxIdleTime: 120,
      subscribeVideoUids: ['1001'],
      subscribeUidGroup: 0,
    },
    snapshotConfig: { captureInterval: 5, fileType: ['jpg'] },
    storageConfig: {
      vendor: 1,
      region: 0,
      bucket: 'my-bucket',
      accessKey: 'AKIAEXAMPLEKEY',
      secretKey: 'SECRETKEYVALUE',
      fileNamePrefix: ['snaps', 'room42'],
    },
  },
};

export type ReferenceStartBody = typeof REFERENCE_START & {
  clientRequest: typeof REFERENCE_START.clientRequest & { token?: string };
};

/** The reference's start body; `mutate` edits the copy (add a token, break one field...). */
export function referenceStartBody(mutate: Mutator = () => {}): ReferenceStartBody {
  const copy = structuredClone(REFERENCE_START);
  mutate(copy);
  return copy;
}
