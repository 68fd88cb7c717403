/** The capture requests and baseline inputs the scenarios start (unique channel per capture). */
import { captureRequest } from '../../test/helpers/fixtures';
import type { CaptureRequestInput } from '../../workflows/request';

export function benchRequest(durationSeconds: number): CaptureRequestInput {
  // healthCheckSeconds at its default magnitude: a few Agora queries per long capture, not a storm.
  return captureRequest({ durationSeconds, timings: { failoverWindowSeconds: 90, healthCheckSeconds: 120 } });
}

let n = 0;
export const baselineId = (tag: string) => `bench-baseline-${tag}-${++n}-${Date.now().toString(36)}`;
