/**
 * TLS to Temporal, configured the way operators configure it (TEMPORAL_TLS_* variables), with
 * a real handshake. The dev server speaks plain text only, so a small TLS-terminating proxy
 * (node:tls, certificates made by openssl for this run) sits in front of it and pipes the
 * decrypted bytes to the dev server.
 *
 * What this proves: the settings of client/temporal-connection.ts reach both gRPC stacks (the
 * client's grpc-js Connection and the worker's Rust NativeConnection) and the receiver; the
 * client verifies the server against TEMPORAL_TLS_SERVER_CA_CERT_PATH under the name
 * TEMPORAL_TLS_SERVER_NAME, presents the TEMPORAL_TLS_CLIENT_CERT/KEY pair when the server
 * asks (mTLS), and Temporal calls work over the encrypted channel. What it does not prove:
 * TLS against a real Temporal frontend's own TLS settings, or API-key authentication (the dev
 * server ignores keys).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { clientSettings, connectClient } from '../../client/connection';
import { loadReceiverConfig } from '../../client/receiver/config';
import { receiverConnection } from '../../client/receiver/background-connection';
import { startReceiver } from '../../client/receiver/server';
import { connectionOptions } from '../../client/temporal-connection';
import { Client } from '@temporalio/client';
import { httpSend, NCS_SECRET } from '../helpers/ncs';
import { waitFor } from '../helpers/wait-for';

const SERVER_NAME = 'temporal.test';
const dir = mkdtempSync(join(tmpdir(), 'temporal-tls-'));
const path = (name: string) => join(dir, name);

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A CA, and a certificate it signs for `cn` with the given extensions. */
function makeCerts(): void {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=agora-capture test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  const leaf = (name: string, cn: string, ext: string) => {
    openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    writeFileSync(path(`${name}.ext`), ext);
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
    );
  };
  leaf(
    'server',
    SERVER_NAME,
    `subjectAltName=DNS:${SERVER_NAME}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`,
  );
  leaf('client', 'agora-capture worker', 'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n');
  // A second, unrelated CA: a client trusting only it must refuse the proxy.
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'other.key',
    '-out',
    'other.pem',
    '-days',
    '1',
    '-subj',
    '/CN=other CA',
  );
}

/** A TLS server on 127.0.0.1 piping every connection to `upstream`; counts completed handshakes. */
async function tlsProxy(upstream: string, opts: { requireClientCert: boolean }) {
  const [host, port] = [
    upstream.slice(0, upstream.lastIndexOf(':')),
    Number(upstream.slice(upstream.lastIndexOf(':') + 1)),
  ];
  const stats = { secured: 0, withClientCert: 0, failedHandshakes: 0 };
  const sockets = new Set<net.Socket>();
  const server = tls.createServer(
    {
      key: readFileSync(path('server.key')),
      cert: readFileSync(path('server.pem')),
      ALPNProtocols: ['h2'],
      requestCert: opts.requireClientCert,
      rejectUnauthorized: opts.requireClientCert,
      ...(opts.requireClientCert ? { ca: readFileSync(path('ca.pem')) } : {}),
    },
    (clear) => {
      stats.secured += 1;
      if (clear.getPeerCertificate()?.subject?.CN === 'agora-capture worker') stats.withClientCert += 1;
      const up = net.connect(port, host);
      sockets.add(clear).add(up);
      clear.pipe(up).pipe(clear);
      const end = () => {
        clear.destroy();
        up.destroy();
      };
      clear.on('error', end).on('close', end);
      up.on('error', end).on('close', end);
    },
  );
  server.on('tlsClientError', () => {
    stats.failedHandshakes += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    address,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('TLS to Temporal from TEMPORAL_TLS_* settings (through a TLS-terminating proxy)', () => {
  let proxy: Awaited<ReturnType<typeof tlsProxy>>;
  let mtlsProxy: Awaited<ReturnType<typeof tlsProxy>>;
  const env = (over: Record<string, string>) => ({ HOME: dir, ...over });

  beforeAll(async () => {
    makeCerts();
    proxy = await tlsProxy(inject('temporalAddress'), { requireClientCert: false });
    mtlsProxy = await tlsProxy(inject('temporalAddress'), { requireClientCert: true });
  });
  afterAll(async () => {
    await proxy?.close();
    await mtlsProxy?.close();
  });

  const serverTls = (address: string) => ({
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: path('ca.pem'),
    TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
  });

  it('client API: verifies the server by CA and name, and Temporal answers over TLS', async () => {
    const before = proxy.stats.secured;
    const client = await connectClient(clientSettings(env(serverTls(proxy.address))), '10s');
    try {
      const ns = await client.workflowService.describeNamespace({ namespace: 'default' });
      expect(ns.namespaceInfo?.name).toBe('default');
      expect(proxy.stats.secured).toBeGreaterThan(before);
    } finally {
      await client.connection.close();
    }
  });

  it('client API: refuses a server whose certificate the configured CA did not sign', async () => {
    const s = clientSettings(
      env({ ...serverTls(proxy.address), TEMPORAL_TLS_SERVER_CA_CERT_PATH: path('other.pem') }),
    );
    const failed = proxy.stats.failedHandshakes;
    await expect(connectClient(s, '3s')).rejects.toThrow();
    // Refused in the handshake, not for want of a server: the proxy saw it fail.
    expect(proxy.stats.failedHandshakes).toBeGreaterThan(failed);
  });

  it('client API: refuses the server under a name its certificate does not carry', async () => {
    const s = clientSettings(
      env({ ...serverTls(proxy.address), TEMPORAL_TLS_SERVER_NAME: 'not-temporal.test' }),
    );
    await expect(connectClient(s, '3s')).rejects.toThrow();
  });

  it('client API: presents the client certificate pair when the server requires mTLS', async () => {
    const mtls = {
      ...serverTls(mtlsProxy.address),
      TEMPORAL_TLS_CLIENT_CERT_PATH: path('client.pem'),
      TEMPORAL_TLS_CLIENT_KEY_PATH: path('client.key'),
    };
    const client = await connectClient(clientSettings(env(mtls)), '10s');
    try {
      await client.workflowService.getSystemInfo({});
      expect(mtlsProxy.stats.withClientCert).toBeGreaterThan(0);
    } finally {
      await client.connection.close();
    }
    // Without the pair the same server refuses the handshake.
    const failed = mtlsProxy.stats.failedHandshakes;
    await expect(connectClient(clientSettings(env(serverTls(mtlsProxy.address))), '3s')).rejects.toThrow();
    expect(mtlsProxy.stats.failedHandshakes).toBeGreaterThan(failed);
  });

  it('worker (NativeConnection, Rust): connects over mTLS with the same settings', async () => {
    const before = mtlsProxy.stats.withClientCert;
    const s = clientSettings(
      env({
        ...serverTls(mtlsProxy.address),
        TEMPORAL_TLS_CLIENT_CERT_PATH: path('client.pem'),
        TEMPORAL_TLS_CLIENT_KEY_PATH: path('client.key'),
      }),
    );
    const connection = await NativeConnection.connect(connectionOptions(s));
    try {
      const info = await connection.workflowService.getSystemInfo({});
      expect(info.capabilities).toBeDefined();
      expect(mtlsProxy.stats.withClientCert).toBeGreaterThan(before);
    } finally {
      await connection.close();
    }
  });

  it('receiver: its configuration connects over TLS (ready once Temporal answers)', async () => {
    const config = loadReceiverConfig(env({ ...serverTls(proxy.address), AGORA_NCS_SECRETS: NCS_SECRET }));
    const connection = receiverConnection(config.temporal);
    const receiver = await startReceiver({
      client: new Client({ connection, namespace: config.temporal.namespace }),
      secrets: config.AGORA_NCS_SECRETS,
    });
    try {
      await waitFor(
        async () => (await httpSend(receiver.url, { method: 'GET', path: '/readyz' })).status === 200,
        {
          timeoutMs: 15_000,
          what: 'the receiver to reach Temporal over TLS',
        },
      );
    } finally {
      await receiver.close();
      await connection.close();
    }
  });
});
