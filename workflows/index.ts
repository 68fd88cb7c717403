/** Workflow entry point for the worker's bundle: every export here is a workflow type. */
export { captureChannelWorkflow } from './capture-channel';
export { webhookDeliveryWorkflow } from './webhooks/delivery';
export { captureSweepWorkflow } from './sweep';
export { sessionReaperWorkflow } from './reaper';
