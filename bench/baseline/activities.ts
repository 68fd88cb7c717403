/**
 * The baseline's no-op activities. `start` records when it began (Date.now, the clock the
 * emulator stamps requests with) so start latency compares like with like: client start →
 * second activity started, as the product's client start → Agora start received.
 */
export const startedAt = new Map<string, number>();

export function createBaselineActivities() {
  return {
    async acquire(_id: string): Promise<void> {},
    async start(id: string): Promise<void> {
      startedAt.set(id, Date.now());
    },
    async stop(_id: string): Promise<void> {},
  };
}

export type BaselineActivities = ReturnType<typeof createBaselineActivities>;
