/**
 * Prepares a fresh Temporal server for captures the way an operator does: the capture's search
 * attributes on the namespace. Kept in this one place so it can become the product's own
 * `agora-capture setup` once that command exists; until then it registers
 * CAPTURE_SEARCH_ATTRIBUTES through the OperatorService, as setup would.
 */
import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { CAPTURE_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

const INDEXED = temporal.api.enums.v1.IndexedValueType;

function indexedType(type: SearchAttributeType): temporal.api.enums.v1.IndexedValueType {
  if (type === SearchAttributeType.KEYWORD) return INDEXED.INDEXED_VALUE_TYPE_KEYWORD;
  if (type === SearchAttributeType.KEYWORD_LIST) return INDEXED.INDEXED_VALUE_TYPE_KEYWORD_LIST;
  throw new Error(`search attribute type ${type} is not mapped`);
}

/** Registers the capture's search attributes on `namespace` and waits until queries accept them. */
export async function prepareCaptureServer(address: string, namespace = 'default'): Promise<void> {
  const conn = await Connection.connect({ address });
  try {
    const searchAttributes: Record<string, temporal.api.enums.v1.IndexedValueType> = {};
    for (const key of CAPTURE_SEARCH_ATTRIBUTES) searchAttributes[key.name] = indexedType(key.type);
    await conn.operatorService.addSearchAttributes({ namespace, searchAttributes });
    // Visible once a visibility query naming every attribute is accepted.
    const query = CAPTURE_SEARCH_ATTRIBUTES.map((k) => `${k.name} = 'probe'`).join(' AND ');
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await conn.workflowService.countWorkflowExecutions({ namespace, query });
        return;
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    await conn.close();
  }
}
