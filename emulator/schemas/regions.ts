/**
 * Storage vendors and their region codes
 * (https://github.com/AgoraIO/Docs-Source/blob/HEAD/cloud-recording/reference/region-vendor.mdx).
 * A wrong region enum is a common real-world cause of code 2, so the emulator checks it.
 */

/** Vendor code → name, for messages. */
export const VENDORS: Readonly<Record<number, string>> = {
  1: 'Amazon S3',
  2: 'Alibaba Cloud',
  3: 'Tencent Cloud',
  5: 'Microsoft Azure',
  6: 'Google Cloud',
  7: 'Huawei Cloud',
  8: 'Baidu AI Cloud',
  11: 'S3-compatible',
};

/** Inclusive range of integers. */
function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/**
 * Valid region codes per vendor. S3 keeps 23 (US_GOV_EAST_1) because a release note lists it
 * and rejecting it would be stricter than any source. Baidu has no code 0.
 */
const REGIONS: Readonly<Record<number, readonly number[]>> = {
  1: range(0, 25),
  2: range(0, 27),
  3: range(0, 19),
  5: [0],
  6: [0],
  7: range(0, 15),
  8: range(1, 7),
  11: [0],
};

/** True when `vendor` is a known storage vendor code. */
export function isKnownVendor(vendor: number): boolean {
  return vendor in VENDORS;
}

/** True when `region` is valid for `vendor`. */
export function isValidRegion(vendor: number, region: number): boolean {
  return REGIONS[vendor]?.includes(region) ?? false;
}

/** Vendors that accept `stsToken`. */
export const STS_VENDORS: readonly number[] = [1, 2, 3];
