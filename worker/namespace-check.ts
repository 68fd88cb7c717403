/**
 * Before polling: is the namespace prepared by `agora-capture setup`? Without the capture's
 * search attributes every capture's first workflow task would fail (it sets them), so the
 * worker refuses to start and names what is missing. Without the sweep schedule captures run,
 * but a terminated or reset one leaves its Agora session billing: a warning, loud, every start.
 */
import { Runtime } from '@temporalio/worker';
import { describeMissingSetup, missingSetup, type SetupReader } from '../client/setup';
import { ConfigError } from './config';

export async function checkNamespacePrepared(
  services: SetupReader,
  namespace: string,
  taskQueue: string,
): Promise<void> {
  const logger = Runtime.instance().logger;
  let missing;
  try {
    missing = await missingSetup(services, namespace, taskQueue);
  } catch (e) {
    // Reading search attributes can need rights a worker's credentials lack: do not block on it.
    logger.warn('could not check that the namespace is prepared by agora-capture setup', {
      namespace,
      error: e instanceof Error ? e.message : String(e),
    });
    return;
  }
  if (missing.searchAttributes.length > 0)
    throw new ConfigError(
      `namespace ${namespace} is not prepared for agora-capture (missing ${describeMissingSetup(missing)}): run "agora-capture setup" against it, then start the worker`,
    );
  if (missing.schedule)
    logger.error(
      'no sweep schedule: a capture that is terminated or reset leaves its Agora session billing; run "agora-capture setup"',
      { namespace, schedule: missing.schedule },
    );
}
