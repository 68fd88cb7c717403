/**
 * The task queue of the Agora activities: the workflow's own queue plus a suffix. Workers poll
 * it with `maxTaskQueueActivitiesPerSecond` set to the App ID's QPS, so the Temporal server
 * paces every Agora call of the cluster to Agora's rate limit. Workflow code (pure).
 */
export function agoraTaskQueue(workflowTaskQueue: string): string {
  return `${workflowTaskQueue}-agora`;
}
