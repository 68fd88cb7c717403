import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { interpolate, parsePort, readCompose, ROOT, serviceEnv, serviceSecrets } from '../image/compose';

// No container engine runs here, so CI checks the production stack's file by parsing it and
// checking what would otherwise only fail at `docker compose up` (or silently expose too much).
// The image check (test/image/) runs the worker's and the receiver's commands from it.
const compose = readCompose();
const services = compose.services;
const ours = ['temporal-setup', 'worker', 'receiver', 'emulator'];
/** What an operator's .env sets: every required variable, nothing else. */
const vars = {
  POSTGRES_PASSWORD: 'pw',
  AGORA_APP_ID: 'app',
  AGORA_CUSTOMER_ID: 'cid',
  AGORA_CUSTOMER_SECRET_FILE: './s1',
  AGORA_APP_CERTIFICATE_FILE: './s2',
  AGORA_NCS_SECRETS_FILE: './s3',
};
const env = (name: string, over: Record<string, string | undefined> = {}) =>
  serviceEnv(services[name]!, { ...vars, ...over });

describe('docker-compose.yml', () => {
  it('has the production-shaped services', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining([
        'postgresql',
        'temporal-admin-tools',
        'temporal',
        'temporal-setup',
        'temporal-ui',
        'worker',
        'receiver',
        'emulator',
      ]),
    );
    expect(services.emulator?.profiles).toEqual(['emulator']);
  });

  it('pins every image to an exact version or digest (no latest, no bare name)', () => {
    for (const [name, s] of Object.entries(services)) {
      if (!s.image || s.build) continue;
      expect(s.image, name).toMatch(/:\d+(\.\d+)+(@sha256:[0-9a-f]{64})?$/);
    }
  });

  it('only depends on services that exist, with a valid condition', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect(Object.keys(services), `${name} → ${dep}`).toContain(dep);
        expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(condition);
      }
    }
  });

  it('builds its own services from the Dockerfile', () => {
    for (const name of ours) {
      expect(services[name]?.build, name).toBe('.');
      expect(services[name]?.image, name).toBe('agora-capture:local');
    }
  });

  it("prepares Temporal with the product's own setup command", () => {
    const setup = services['temporal-setup'];
    // Namespace, search attributes and the sweep schedule, from the built CLI (no tsx in the image).
    expect(setup?.command).toEqual([
      'node',
      'dist/client/cli/main.js',
      'setup',
      '--sweep-interval',
      '${SWEEP_INTERVAL:-1m}',
    ]);
    expect(services.worker?.depends_on?.['temporal-setup']?.condition).toBe('service_completed_successfully');
    expect(services.receiver?.depends_on?.['temporal-setup']?.condition).toBe(
      'service_completed_successfully',
    );
  });

  it('publishes only the receiver beyond localhost', () => {
    const published = Object.entries(services).flatMap(([name, s]) =>
      (s.ports ?? []).map((p) => ({ name, ...parsePort(p) })),
    );
    const open = published.filter((p) => p.hostIp !== '127.0.0.1');
    expect(open).toEqual([{ name: 'receiver', hostPort: '8088', containerPort: '8088' }]);
    for (const name of ['temporal', 'temporal-ui'])
      expect(
        published.filter((p) => p.name === name).map((p) => p.hostIp),
        name,
      ).toEqual(['127.0.0.1']);
  });

  it("serves the receiver's probes and metrics on a port that is not published", () => {
    const e = env('receiver');
    expect(e.RECEIVER_PORT).toBe('8088');
    expect(e.RECEIVER_ADMIN_PORT).toBe('8089');
    const published = (services.receiver?.ports ?? []).map((p) => parsePort(p).containerPort);
    expect(published).not.toContain('8089');
    expect(JSON.stringify(services.receiver?.healthcheck?.test)).toContain('127.0.0.1:8089/healthz');
  });

  it('has no default database password: every use of it requires POSTGRES_PASSWORD', () => {
    const uses = Object.entries(services).flatMap(([name, s]) =>
      Object.entries(s.environment ?? {})
        .filter(([, v]) => String(v).includes('POSTGRES_PASSWORD'))
        .map(([k, v]) => ({ name, k, v: String(v) })),
    );
    expect(uses.map((u) => u.name).sort()).toEqual(['postgresql', 'temporal', 'temporal-admin-tools']);
    for (const u of uses) {
      expect(() => interpolate(u.v, {}), `${u.name} ${u.k}`).toThrow(/POSTGRES_PASSWORD/);
      expect(interpolate(u.v, { POSTGRES_PASSWORD: 'pw' })).toBe('pw');
    }
  });

  it('gives Agora secrets to its services as files, never as plain environment', () => {
    const plain = [
      'AGORA_CUSTOMER_SECRET',
      'AGORA_APP_CERTIFICATE',
      'AGORA_NCS_SECRETS',
      'EMULATOR_NCS_SECRET',
    ];
    for (const name of ours)
      expect(
        Object.keys(env(name)).filter((k) => plain.includes(k)),
        name,
      ).toEqual([]);
    expect(env('worker')).toMatchObject({
      AGORA_CUSTOMER_SECRET_FILE: '/run/secrets/agora-customer-secret',
      AGORA_APP_CERTIFICATE_FILE: '/run/secrets/agora-app-certificate',
      AGORA_STORAGE_PROFILES: '/run/secrets/storage-profiles.json',
    });
    expect(env('receiver')).toMatchObject({
      AGORA_NCS_SECRETS_FILE: '/run/secrets/agora-ncs-secrets',
      AGORA_STORAGE_PROFILES: '/run/secrets/storage-profiles.json',
    });
  });

  it('mounts every secret file a service reads, from a secret the file declares', () => {
    for (const [name, s] of Object.entries(services)) {
      const mounted = serviceSecrets(s).map((x) => `/run/secrets/${x.target}`);
      for (const x of serviceSecrets(s)) expect(Object.keys(compose.secrets), name).toContain(x.source);
      for (const v of Object.values(env(name)).filter((v) => v.startsWith('/run/secrets/')))
        expect(mounted, `${name}: ${v}`).toContain(v);
    }
  });

  it('requires the Agora secret files and defaults only the example storage profiles', () => {
    for (const [name, { file }] of Object.entries(compose.secrets)) {
      if (name === 'storage-profiles') {
        const fallback = /:-([^}]+)\}/.exec(file)?.[1] ?? file;
        expect(existsSync(path.join(ROOT, fallback)), name).toBe(true);
      } else {
        expect(() => interpolate(file, {}), name).toThrow(/_FILE/);
      }
    }
  });
});
