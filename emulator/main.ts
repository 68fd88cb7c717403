/**
 * `npm run emulator -- --port N [--host H]`: runs the emulator as a dev server. Credentials come
 * from the same variables the worker reads, so a developer points both at one .env.
 */
import { startEmulator } from './index';

/** Reads `--name value` / `--name=value` from argv. */
function flag(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === `--${name}`) return argv[i + 1];
    if (a?.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) {
    process.stderr.write(`emulator: environment variable ${name} is required\n`);
    process.exit(2);
  }
  return v;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const portText = flag(argv, 'port') ?? '0';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`emulator: --port must be an integer in [0, 65535], got ${portText}\n`);
    process.exit(2);
  }
  const emu = await startEmulator({
    appId: required('AGORA_APP_ID'),
    customerId: required('AGORA_CUSTOMER_ID'),
    customerSecret: required('AGORA_CUSTOMER_SECRET'),
    appCertificate: process.env.AGORA_APP_CERTIFICATE || undefined,
    host: flag(argv, 'host') ?? '127.0.0.1',
    port,
    log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  });
  process.stdout.write(`agora emulator listening on ${emu.url}\n`);
  const shutdown = (signal: string): void => {
    process.stderr.write(`emulator: ${signal}, closing\n`);
    emu.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`emulator: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
