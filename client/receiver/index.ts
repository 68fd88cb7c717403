/** The Agora NCS receiver: signed callbacks in, capture workflow signals out. */
export { loadReceiverConfig, type ReceiverConfig, ReceiverConfigError } from './config';
export { type RouteAction, routeEvent } from './route-event';
export { buildCaptureEvent, ERROR_MSG_MAX, pickDetails } from './capture-event';
export { type Delivery, deliverSignal } from './resolve-capture';
export {
  DEFAULT_FUTURE_SKEW_MS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_REMEMBERED_NOTICES,
  DEFAULT_REPLAY_WINDOW_MS,
  DEFAULT_SIGNAL_TIMEOUT_MS,
  NCS_PATH,
  type Receiver,
  type ReceiverOptions,
  type ReceiverSettings,
  startReceiver,
} from './server';
export { type ReceiverStats, type RouteVia, type SignalName, type Verdict, VERDICTS } from './stats';
export { type Freshness, ReplayGuard, type ReplayGuardOptions } from './replay-guard';
export { sidQuery, type TemporalPort, temporalPort } from './temporal-port';
