/**
 * The receiver's counters: one per request verdict, per signal sent and per routing path,
 * readable as an object (tests) or in Prometheus text format (`GET /metrics`).
 */

/** What became of one request. Every request that reaches the handler gets exactly one. */
export const VERDICTS = [
  'accepted',
  'unknown-capture',
  /** The sid belongs to a closed capture: handed to the sweeper, which stops that session. */
  'closed-capture',
  'ignored-product',
  'ignored-event',
  'bad-signature',
  'bad-content-type',
  'too-large',
  'bad-json',
  'bad-envelope',
  'stale',
  'future',
  'duplicate',
  'temporal-unavailable',
  'not-found',
  'method-not-allowed',
  'aborted',
  'internal-error',
] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Signals the receiver sends (names as in workflows/messages.ts). */
export const SIGNAL_NAMES = ['agoraEvent'] as const;
export type SignalName = (typeof SIGNAL_NAMES)[number];

/** How the owning workflow was found: its deterministic id, the sid cache, or a visibility search. */
export const ROUTES = ['workflow-id', 'sid-cache', 'sid-search'] as const;
export type RouteVia = (typeof ROUTES)[number];

/** A snapshot of the counters. */
export interface ReceiverStats {
  verdicts: Record<Verdict, number>;
  signalled: Record<SignalName, number>;
  /** Signal RPCs sent, by signal name: below `signalled` when events shared a signal (batching). */
  signalRpcs: Record<SignalName, number>;
  routedBy: Record<RouteVia, number>;
  /** The replay guard's memory: noticeIds remembered now, and those forgotten early (cap reached). */
  replay: { remembered: number; forgottenEarly: number };
}

const zeros = <K extends string>(keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** Mutable counters owned by one receiver. */
export class Counters {
  private readonly s: Omit<ReceiverStats, 'replay'> = {
    verdicts: zeros(VERDICTS),
    signalled: zeros(SIGNAL_NAMES),
    signalRpcs: zeros(SIGNAL_NAMES),
    routedBy: zeros(ROUTES),
  };

  /** `replay` reads the replay guard's current size when a snapshot is taken. */
  constructor(
    private readonly replay: () => ReceiverStats['replay'] = () => ({ remembered: 0, forgottenEarly: 0 }),
  ) {}

  verdict(v: Verdict): void {
    this.s.verdicts[v] += 1;
  }

  signalled(name: SignalName, via: RouteVia): void {
    this.s.signalled[name] += 1;
    this.s.routedBy[via] += 1;
  }

  /** One signal RPC sent (whatever number of events it carried). */
  signalRpc(name: SignalName): void {
    this.s.signalRpcs[name] += 1;
  }

  /** A copy, so callers can compare before/after without aliasing. */
  snapshot(): ReceiverStats {
    return {
      verdicts: { ...this.s.verdicts },
      signalled: { ...this.s.signalled },
      signalRpcs: { ...this.s.signalRpcs },
      routedBy: { ...this.s.routedBy },
      replay: this.replay(),
    };
  }
}

const PREFIX = 'agora_capture_receiver_';

/** Prometheus text exposition format 0.0.4. */
export function renderPrometheus(stats: ReceiverStats): string {
  const family = (name: string, help: string, label: string, values: Record<string, number>): string[] => [
    `# HELP ${PREFIX}${name} ${help}`,
    `# TYPE ${PREFIX}${name} counter`,
    ...Object.entries(values).map(([k, v]) => `${PREFIX}${name}{${label}="${k}"} ${v}`),
  ];
  return [
    ...family('requests_total', 'HTTP requests by verdict.', 'verdict', stats.verdicts),
    ...family(
      'signals_total',
      'Signals delivered to capture workflows, by signal name.',
      'signal',
      stats.signalled,
    ),
    ...family(
      'signal_rpcs_total',
      'Signal RPCs sent to capture workflows, by signal name (several events can share one).',
      'signal',
      stats.signalRpcs,
    ),
    ...family(
      'routes_total',
      'Delivered signals by how the owning workflow was found.',
      'via',
      stats.routedBy,
    ),
    `# HELP ${PREFIX}remembered_notices noticeIds remembered to answer replays within the window without a signal.`,
    `# TYPE ${PREFIX}remembered_notices gauge`,
    `${PREFIX}remembered_notices ${stats.replay.remembered}`,
    `# HELP ${PREFIX}notices_forgotten_early_total noticeIds forgotten before their window ended because the cap was reached.`,
    `# TYPE ${PREFIX}notices_forgotten_early_total counter`,
    `${PREFIX}notices_forgotten_early_total ${stats.replay.forgottenEarly}`,
    '',
  ].join('\n');
}

/** Content type of {@link renderPrometheus} output. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
