/**
 * Agora Cloud Recording as a plain TypeScript library (no Temporal): REST client, request
 * and response schemas, error classification, host resolution, RTC token, NCS callback
 * verification and screenshot file-name parsing.
 */
export * from './schemas';
export * from './errors';
export * from './hosts';
export * from './client';
export * from './token';
export * from './query-status';
export * from './notifications';
export * from './ncs-events';
export * from './filenames';
