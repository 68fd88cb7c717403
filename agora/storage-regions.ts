/**
 * Agora's storage vendor and region enums
 * (https://github.com/AgoraIO/Docs-Source/blob/HEAD/cloud-recording/reference/region-vendor.mdx).
 * A wrong region number is a common cause of 400 code 2, so the schema checks it locally.
 */

/** Storage vendor codes accepted by `storageConfig.vendor`. */
export const STORAGE_VENDORS = {
  AMAZON_S3: 1,
  ALIBABA_CLOUD: 2,
  TENCENT_CLOUD: 3,
  MICROSOFT_AZURE: 5,
  GOOGLE_CLOUD: 6,
  HUAWEI_CLOUD: 7,
  BAIDU_AI_CLOUD: 8,
  S3_COMPATIBLE: 11,
} as const;

/** One of the numbers in {@link STORAGE_VENDORS}. */
export type StorageVendor = (typeof STORAGE_VENDORS)[keyof typeof STORAGE_VENDORS];

/** Region names in code order; the index is the region code. */
// prettier-ignore
const S3 = [
  'US_EAST_1', 'US_EAST_2', 'US_WEST_1', 'US_WEST_2', 'EU_WEST_1', 'EU_WEST_2', 'EU_WEST_3', 'EU_CENTRAL_1',
  'AP_SOUTHEAST_1', 'AP_SOUTHEAST_2', 'AP_NORTHEAST_1', 'AP_NORTHEAST_2', 'SA_EAST_1', 'CA_CENTRAL_1',
  'AP_SOUTH_1', 'CN_NORTH_1', 'CN_NORTHWEST_1', 'AF_SOUTH_1', 'AP_EAST_1', 'AP_NORTHEAST_3', 'EU_NORTH_1',
  'ME_SOUTH_1',
  // 23 appears only in a 2021 release note, not the current table; accepted so a GovCloud user is not
  // blocked locally (Agora answers 400 code 2 if it is really gone).
  'US_GOV_EAST_1', 'AP_SOUTHEAST_3', 'EU_SOUTH_1',
];
// prettier-ignore
const ALIBABA = [
  'CN_Hangzhou', 'CN_Shanghai', 'CN_Qingdao', 'CN_Beijing', 'CN_Zhangjiakou', 'CN_Huhehaote', 'CN_Shenzhen',
  'CN_Hongkong', 'US_West_1', 'US_East_1', 'AP_Southeast_1', 'AP_Southeast_2', 'AP_Southeast_3',
  'AP_Southeast_5', 'AP_Northeast_1', 'AP_South_1', 'EU_Central_1', 'EU_West_1', 'EU_East_1',
  'AP_Southeast_6', 'CN_Heyuan', 'CN_Guangzhou', 'CN_Chengdu', 'CN_Nanjing', 'CN_Fuzhou', 'CN_Wulanchabu',
  'CN_Northeast_2', 'CN_Southeast_7',
];
// prettier-ignore
const TENCENT = [
  'AP_Beijing_1', 'AP_Beijing', 'AP_Shanghai', 'AP_Guangzhou', 'AP_Chengdu', 'AP_Chongqing', 'AP_Shenzhen_FSI',
  'AP_Shanghai_FSI', 'AP_Beijing_FSI', 'AP_Hongkong', 'AP_Singapore', 'AP_Mumbai', 'AP_Seoul', 'AP_Bangkok',
  'AP_Tokyo', 'NA_Siliconvalley', 'NA_Ashburn', 'NA_Toronto', 'EU_Frankfurt', 'EU_Moscow',
];
// prettier-ignore
const HUAWEI = [
  'CN_North_1', 'CN_North_4', 'CN_East_2', 'CN_East_3', 'CN_South_1', 'CN_Southwest_2', 'AP_Southeast_1',
  'AP_Southeast_2', 'AP_Southeast_3', 'AF_South_1', 'SA_Argentina_1', 'SA_Peru_1', 'NA_Mexico_1',
  'SA_Brazil_1', 'LA_South_2', 'SA_Chile_1',
];
// Baidu has no code 0 in Agora's table.
// prettier-ignore
const BAIDU: Record<number, string> = {
  1: 'Baoding', 2: 'Suzhou', 3: 'Guangzhou', 4: 'Hongkong', 5: 'Singapore', 6: 'Wuhan', 7: 'Shanghai',
};

const byIndex = (names: string[]): Record<number, string> => Object.fromEntries(names.map((n, i) => [i, n]));

/** Valid region codes per vendor, with Agora's names. Single-region vendors use region 0. */
export const STORAGE_REGIONS: Readonly<Record<StorageVendor, Readonly<Record<number, string>>>> = {
  1: byIndex(S3),
  2: byIndex(ALIBABA),
  3: byIndex(TENCENT),
  5: { 0: 'default' },
  6: { 0: 'default' },
  7: byIndex(HUAWEI),
  8: BAIDU,
  11: { 0: 'default' },
};

/** Whether `region` is a documented code for `vendor`. */
export function isValidStorageRegion(vendor: number, region: number): boolean {
  const table = (STORAGE_REGIONS as Record<number, Record<number, string> | undefined>)[vendor];
  return table !== undefined && Object.prototype.hasOwnProperty.call(table, region);
}

/** Vendors for which Agora accepts `stsToken` (S3, Alibaba, Tencent). */
export const STS_VENDORS: ReadonlySet<number> = new Set([1, 2, 3]);
