/**
 * Agora Cloud Recording emulator: a local, faithful stand-in for the REST API (acquire, start,
 * query, update, stop) with a ledger, a request log and fault injection, plus a simulated
 * channel that writes screenshot files and sends signed NCS callbacks. Written from the
 * reference alone; it must not import from agora/, activities/, workflows/ or client/.
 */
export { startEmulator, type AgoraEmulator } from './emulator';
export type { EmulatorHooks, EmulatorOptions, StatusStep } from './options';
export { DEFAULT_STATUS_PROGRESSION } from './options';
export { DEFAULT_RESEND_DELAYS_MS } from './options-simulation';
export { agoraError, ENDPOINTS } from './types';
export type { EndedBy, Endpoint, Fault, LedgerEntry, RecordingMode, RequestRecord } from './types';
export type {
  CallbackAttempt,
  CallbackFaults,
  CallbackRecord,
  ChannelHandle,
  Publisher,
  ScenarioAction,
  ScenarioStep,
} from './sim-types';
export type { ResolvedCallbackFaults } from './callback-faults';
export { parseScenario } from './scenario';
export { snapshotKey, utcStamp } from './snapshot-key';
