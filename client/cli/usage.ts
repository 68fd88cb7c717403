/** Help texts. Kept together so the top-level usage and each command's help stay consistent. */

const CONNECTION = `Connection (environment, .env in the working directory is loaded if present):
  TEMPORAL_ADDRESS     default 127.0.0.1:7233
  TEMPORAL_NAMESPACE   default "default"
  TEMPORAL_API_KEY     API key (Temporal Cloud); turns TLS on
  TEMPORAL_TLS         true/false; TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH (mTLS),
                       TEMPORAL_TLS_SERVER_CA_CERT_PATH, TEMPORAL_TLS_SERVER_NAME
  TEMPORAL_PROFILE     profile in TEMPORAL_CONFIG_FILE (default ~/.config/temporalio/temporal.toml)
  TEMPORAL_TASK_QUEUE  default "agora-capture" (start and setup)
  TEMPORAL_UI_URL      default http://localhost:8233 (for links)`;

const TARGET = `The capture is named by its workflow id (capture/<channel>/<uid>) or by --channel C --uid U.`;

export const USAGE: Record<string, string> = {
  main: `Usage: agora-capture <command> [options]

Commands:
  start    start a screenshot capture of a channel
  stop     stop a capture (signal; --wait returns the final result)
  status   show a capture's live status
  list     list captures
  pause    operator pause: release the Agora session until resume
  resume   resume an operator-paused capture (a new Agora session)
  cancel   cancel a capture (the Agora session is still stopped)
  watch    follow a capture's phase until it ends
  setup    prepare the namespace: search attributes and the sweep schedule (safe to re-run)
  manifest print a capture's reconciled manifest (bucket listing + callbacks)
  latest   newest screenshot per captured uid, with a presigned URL
  timeline write a capture's visual timeline (thumbnails per uid over time) as one HTML file

Run "agora-capture <command> --help" for a command's options; "agora-capture --version" prints
the version. Each option is given at most once. With --json a command prints exactly one JSON
object on stdout, also when it fails: {"error": {"message", "exitCode", ...}}.
Exit codes: 0 ok, 1 failure (Temporal unreachable, capture failed, or already ended for
stop/pause/resume/cancel), 2 bad usage, invalid request, invalid TEMPORAL_* setting or
invalid AGORA_STORAGE_PROFILES file.

${CONNECTION}`,

  start: `Usage: agora-capture start --channel C --uid U --interval S --duration D [options]

  --channel C          Agora channel name (cname)
  --uid U              recorder (bot) uid, 1..4294967295
  --interval S         seconds between screenshots, 5..3600 (units allowed: 1m)
  --duration D         how long to capture: 90, 90s, 30m, 2h, 1h30m
  --storage NAME       storage profile in the worker's config (default "default")
  --video-uids LIST    comma-separated uids to capture, or #allstream# (default: all)
  --audio-uids LIST    comma-separated audio uids (needs --video-uids and --stream-types 2)
  --stream-types 1|2   1 video only (default), 2 audio and video
  --uid-group N        subscribeUidGroup 0..5; default from the number of subscribed uids:
                       1-2 → 0, 3-7 → 1, 8-12 → 2, 13-17 → 3, 18-32 → 4, 33+ → 5.
                       With all streams (#allstream# or no list) the count is unknown and
                       a small room is assumed (1, i.e. 3-7 users): pass --uid-group for more.
  --max-idle S         seconds without publishers before Agora ends the session (default 300)
  --prefix a/b         fileNamePrefix directories (letters and digits, / between levels)
  --wait D             wait at most D for Agora to answer the start (default 20s, max 10m)
  --no-wait            return once the workflow runs, without waiting for Agora
  --record-uid UID     also record the channel, in a second Agora session with this recorder uid
  --record-files T     needs --record-uid: hls (default) or hls,mp4
  --record-storage P   needs --record-uid: the recording's storage profile (default: --storage)
  --json               print one JSON object {workflowId, runId, sid, started, phase, ...}

Prints the Agora sid once Agora's start answered; exits 1 naming the failure when the
capture cannot start (unknown storage profile, Agora 401, invalid parameter). A start Agora
keeps answering with 5xx/429/quota full returns after --wait with the phase it is in (no
sid): the capture keeps retrying; follow it with "agora-capture status".
Starting the same channel and uid again returns the running capture (started: false).

${CONNECTION}`,

  stop: `Usage: agora-capture stop (ID | --channel C --uid U) [--reason R] [--wait] [--json]

  --reason R   recorded as the stop reason (at most 500 characters, no control characters)
  --wait       wait until Agora's session is stopped and print the final result
  --json       print JSON

${TARGET}`,

  manifest: `Usage: agora-capture manifest ID [--json]

Prints the capture's manifest.json (written beside its screenshots when a segment or the
capture ends): per captured uid the files found in the bucket with their capture times,
bak<n> files after failovers, gaps (pauses, failovers) and coverage (found vs expected from
the interval and the unpaused time), merged with the event-45 callbacks received.
  --json       print the manifest as JSON

Reads the bucket with the storage profile the capture names, from the worker-style profiles
file in AGORA_STORAGE_PROFILES (its optional "s3" block sets the endpoint).`,

  latest: `Usage: agora-capture latest ID [--uid U] [--json]

Lists the capture's prefix now and prints the newest screenshot of each captured uid: key,
capture time and a presigned GET URL (unless the profile sets "s3": {"presign": false}).
Only files of this capture's own Agora sessions count: an earlier capture with the same id
leaves its files under the same prefix.
  --uid U      only this captured uid
  --json       print a JSON array

Reads the bucket like "manifest" (AGORA_STORAGE_PROFILES).`,

  timeline: `Usage: agora-capture timeline ID --out FILE.html [--embed]

Writes one self-contained HTML page: per captured uid a row of thumbnails placed by capture
time on a shared axis, pauses and failovers shaded, segment boundaries marked, coverage per
uid. Uses the capture's manifest.json; while none is written yet, builds one from a fresh
listing and the capture's status (not written to the bucket). See docs/timeline.md.
  --out FILE   where to write the page (required)
  --embed      embed the images as data: URIs (a page that works offline); without it the
               images are presigned URLs, unless the profile sets "s3": {"presign": false}

Reads the bucket like "manifest" (AGORA_STORAGE_PROFILES).`,

  status: `Usage: agora-capture status (ID | --channel C --uid U) [--json]

Shows Temporal's execution status (RUNNING, COMPLETED, FAILED, CANCELED, TERMINATED,
TIMED_OUT) beside the capture's phase, and the status query: Agora resourceId/sid, deadline,
last error; for a failed capture, why. After a terminate or timeout the phase is the last one
the capture recorded. --json adds "execution": {status, closeTime, ended, failure}.
${TARGET}`,

  list: `Usage: agora-capture list [--phase P] [--channel C] [--running] [--json]

  --phase P     QUEUED, ACQUIRING, STARTING, CAPTURING, PAUSED, STOPPING, STOPPED or FAILED
  --channel C   only this channel
  --running     only captures still running
  --json        print a JSON array

Listing reads Temporal visibility, which may lag a few seconds behind.`,

  pause: `Usage: agora-capture pause (ID | --channel C --uid U) [--reason R]

  --reason R   shown by status (at most 500 characters, no control characters)

Agora has no pause in individual mode: the capture stops its Agora session (no more
billing) and shows PAUSED until resume. Whether paused time counts toward the duration is
the request's policies.pausedTimeCounts (default true). While Agora fails the stop, pause
says after 20 s that the session is not released yet (it may still bill) and the capture
keeps stopping it (exit 0).
${TARGET}`,

  resume: `Usage: agora-capture resume (ID | --channel C --uid U)

Starts a new Agora session (acquire + start): the capture's next segment.
${TARGET}`,

  cancel: `Usage: agora-capture cancel (ID | --channel C --uid U)

Cancels the workflow; it still stops the Agora session before it ends.
${TARGET}`,

  setup: `Usage: agora-capture setup [--sweep-interval D] [--task-queue Q] [--json]

Prepares the namespace, idempotently: registers the capture's search attributes and creates
(or updates) the Temporal Schedule agora-capture-sweep/<task queue> that runs the sweeper.
A re-run changes nothing and says so. Works on any Temporal server (OperatorService).
  --sweep-interval D   how often the sweep runs: 30s, 1m (default), 5m
  --task-queue Q       the workers' task queue (default TEMPORAL_TASK_QUEUE); the sweep runs there
  --json               print the report as JSON

The sweep stops Agora sessions that closed captures left running (terminate, reset, a failed
stop). See docs/sweeper.md.

${CONNECTION}`,

  watch: `Usage: agora-capture watch (ID | --channel C --uid U) [--interval-ms N]

Follows the capture's phase until it ends, then prints the result. While Temporal cannot
be reached (or rate-limits) it keeps waiting and says so ("waiting: Temporal is not
reachable"). If Temporal refuses to say how the capture ends (permission denied, an internal
error), the watch stops and says the capture's state is not known: it never reports an end
it did not see.
  --interval-ms N   how often to poll the status (default 1000)
Exits 0 when the capture ended normally (duration, stop, Agora ended it),
1 when it failed, was cancelled, terminated or timed out, or the watch stopped unsure.
${TARGET}`,
};

/** The usage text of a command, or the top-level one. */
export function usageOf(command?: string): string {
  return (command && USAGE[command]) || (USAGE.main as string);
}
