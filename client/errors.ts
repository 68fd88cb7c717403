/** Errors the client API raises before anything reaches Temporal or Agora. */
import type { RequestIssue } from '../workflows/request';
import { describeIssues } from '../workflows/request';

/** The capture request broke one or more rules; `issues` names each field and rule. */
export class InvalidCaptureRequestError extends Error {
  override name = 'InvalidCaptureRequestError';
  constructor(readonly issues: RequestIssue[]) {
    super(`invalid capture request: ${describeIssues(issues)}`);
  }
}
