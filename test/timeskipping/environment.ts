/**
 * Temporal's official Java time-skipping test server, prepared as `agora-capture setup`
 * prepares a real one: the product's search attributes registered. Shared by the
 * time-skipping tests.
 */
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { CAPTURE_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { installTestRuntime } from '../helpers/harness';
import { closeSafeRetryPlugin } from '../../client/grpc-retry';

/** The server's path (scripts/ensure-test-server.sh); the tests skip without it. */
export const testServerPath = process.env.TEMPORAL_TEST_SERVER_PATH;

/** Starts the time-skipping server and registers the capture's search attributes on it. */
export async function startTimeSkipping(): Promise<TestWorkflowEnvironment> {
  installTestRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testServerPath! } },
    plugins: [closeSafeRetryPlugin],
  });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      CAPTURE_SEARCH_ATTRIBUTES.map((k) => [
        k.name,
        temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${k.type}`],
      ]),
    ),
  });
  return env;
}
