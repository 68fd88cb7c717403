/**
 * `agora-capture timeline ID --out FILE.html [--embed]`: writes the capture's visual timeline
 * (client/timeline/) as one self-contained HTML file.
 */
import { writeFileSync } from 'node:fs';
import { timelinePage } from '../../timeline/page';
import { captureId, parseCommand, str } from '../args';
import { type Command, printedHelp } from '../context';
import { CliFailure, EXIT, UsageError } from '../errors';

const OPTIONS = { out: { type: 'string' }, embed: { type: 'boolean' } } as const;

/** Runs `timeline`. */
export const timeline: Command = async (argv, ctx) => {
  const p = parseCommand('timeline', argv, OPTIONS, 1);
  if (printedHelp(p, 'timeline', ctx)) return EXIT.ok;
  const workflowId = captureId(p, 'timeline');
  const out = str(p, 'out');
  if (!out) throw new UsageError('--out FILE.html is required: where to write the page', 'timeline');
  const page = await timelinePage(ctx, workflowId, { embed: p.values.embed === true });
  try {
    writeFileSync(out, page.html);
  } catch (e) {
    throw new CliFailure(`writing ${out}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const total = page.images + page.missing;
  const how =
    page.imageMode === 'presigned'
      ? 'presigned URLs'
      : page.presignRefused
        ? 'embedded (the storage profile sets s3.presign false)'
        : 'embedded';
  ctx.io.out(
    `wrote ${out}: ${Object.keys(page.manifest.uids).length} uid rows, ${page.images} of ${total} images (${how})` +
      (page.missing ? `, ${page.missing} could not be read` : '') +
      `\nmanifest: ${page.storedAt ?? `${page.provisional ?? 'built now'} (not written)`}\n`,
  );
  return EXIT.ok;
};
