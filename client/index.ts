/** Public client API for backend code. */
export * from './api';
export {
  CaptureConflictError,
  CaptureStartFailedError,
  InvalidCaptureRequestError,
  NamespaceNotPreparedError,
} from './errors';
export { type ClientSettings, clientSettings, connectClient } from './connection';
export {
  connectionOptions,
  describeTemporalTarget,
  TemporalConfigError,
  type TemporalConnectionSettings,
  temporalConnectionSettings,
} from './temporal-connection';
export type { CaptureRequestInput, CaptureRequest } from '../workflows/request';
export type { CaptureResult, CaptureStatus, Phase, EndReason, StopOutcome } from '../workflows/status';
export { PHASES } from '../workflows/status';
export { describeWebhookBacklog, getWebhookDelivery } from './webhooks';
export type { DeliveryStatus } from '../workflows/webhooks/types';
