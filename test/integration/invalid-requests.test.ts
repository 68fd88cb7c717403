import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidCaptureRequestError } from '../../client/errors';
import { waitForCapture } from '../../client/api';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness } from '../helpers/harness';
import { INVALID_CASES } from '../helpers/invalid-requests';
import { keepHistory } from '../helpers/keep-history';

describe('invalid capture requests never reach Agora', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it.each(INVALID_CASES)('the client rejects: $rule, naming $field', async ({ field, says, build }) => {
    const err = await h.start(build() as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidCaptureRequestError);
    const issues = (err as InvalidCaptureRequestError).issues;
    expect(issues).toEqual([{ field, rule: expect.stringMatching(says) }]);
    expect((err as Error).message).toContain(field);
    expect(h.emulator.requests()).toHaveLength(0);
  });

  it.each(INVALID_CASES)(
    'the workflow itself rejects: $rule, before any Agora call',
    async ({ field, build }) => {
      const input = build() as { channel?: unknown; recorderUid?: unknown };
      // Under the capture's own id where the request names one, so the id rule is not what fails.
      const workflowId =
        typeof input.channel === 'string' && typeof input.recorderUid === 'string'
          ? `capture/${input.channel}/${input.recorderUid}`
          : `capture/raw-${Math.random().toString(36).slice(2)}/1`;
      await h.env.client.workflow.start('captureChannelWorkflow', {
        taskQueue: h.taskQueue,
        workflowId,
        args: [input],
      });
      const err = await waitForCapture(h.env.client, workflowId).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      const cause = (err as WorkflowFailedError).cause;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      expect((cause as ApplicationFailure).type).toBe('InvalidCaptureRequest');
      expect((cause as ApplicationFailure).nonRetryable).toBe(true);
      expect(cause!.message).toContain(`${field}:`);
      expect(h.emulator.requests()).toHaveLength(0);
      if (field === 'mode') await keepHistory('invalid-request', h.env.client, workflowId);
      if (/each uid once/.test(cause!.message)) await keepHistory('delivery-rules', h.env.client, workflowId);
    },
  );

  it('fails a valid request started under another workflow id than capture/<channel>/<uid>, before any Agora call', async () => {
    // What a typo in a hand-written `temporal workflow start` does: nothing could find that capture.
    const req = captureRequest();
    const workflowId = `my-own-id-${Math.random().toString(36).slice(2)}`;
    await h.env.client.workflow.start('captureChannelWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      args: [req],
    });
    const err = await waitForCapture(h.env.client, workflowId).catch((e: unknown) => e);
    await keepHistory('workflow-id-mismatch', h.env.client, workflowId);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('InvalidCaptureRequest');
    expect(cause.message).toContain(`workflowId: must be capture/${req.channel}/${req.recorderUid}`);
    expect(h.emulator.requests()).toHaveLength(0);
  });

  it('fails a capture naming an unknown storage profile before any Agora call', async () => {
    const { workflowId } = await h.start(captureRequest({ storageProfile: 'nope' }));
    const err = await waitForCapture(h.env.client, workflowId).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    // acquire is an activity (on the Agora queue): the ApplicationFailure is its failure's cause.
    const cause = (err as WorkflowFailedError).cause;
    const failure = (cause instanceof ActivityFailure ? cause.cause : cause) as ApplicationFailure;
    expect(failure.type).toBe('StorageProfileNotFound');
    expect(failure.message).toContain('storage profile "nope"');
    expect(h.emulator.requests()).toHaveLength(0);
  });
});
