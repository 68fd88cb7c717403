/**
 * Public face of Agora error handling: the error class, its types, and the two classifiers
 * (HTTP answers and transport failures). Split into files by concept; import from here.
 */
export {
  AgoraError,
  AGORA_ERROR_RETRYABLE,
  AGORA_ERROR_TYPES,
  NON_RETRYABLE_AGORA_ERROR_TYPES,
  MAX_REASON_LENGTH,
  isAgoraError,
  type AgoraEndpoint,
  type AgoraErrorInit,
  type AgoraErrorType,
} from './agora-error';
export { classifyAgoraResponse, QUOTA_RETRY_AFTER_MS, type ClassifyOptions } from './classify-response';
export { classifyTransportError, AgoraDeadlineError } from './classify-transport';
export { MAX_RETRY_AFTER_MS, type HeaderBag } from './http-headers';
