import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// No container engine runs here, so CI checks the production stack's file by parsing it and
// checking what would otherwise only fail at `docker compose up`.
const ROOT = path.join(__dirname, '..', '..');
interface Service {
  image?: string;
  build?: unknown;
  command?: unknown;
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  profiles?: string[];
}
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
  secrets: Record<string, { file: string }>;
};
const services = compose.services;

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

  it('pins every image to a version (no latest, no bare name)', () => {
    for (const [name, s] of Object.entries(services)) {
      if (!s.image || s.build) continue;
      expect(s.image, name).toMatch(/:\d+(\.\d+)*$/);
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

  it('builds worker and receiver from the Debian-based Dockerfile', () => {
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:[\d.]+-bookworm/m);
    expect(services.worker?.build).toBe('.');
    expect(services.receiver?.build).toBe('.');
  });

  it('prepares the namespace with agora-capture setup (search attributes and the sweep schedule)', () => {
    const setup = services['temporal-setup'];
    expect(setup?.build).toBe('.');
    expect(JSON.stringify(setup?.command)).toContain('client/cli/main.ts setup --sweep-interval');
    expect(setup?.environment?.SWEEP_INTERVAL).toBe('${SWEEP_INTERVAL:-1m}');
    for (const dependent of ['worker', 'receiver'])
      expect(services[dependent]?.depends_on?.['temporal-setup']?.condition, dependent).toBe(
        'service_completed_successfully',
      );
  });

  it('points the secrets at files in the repository by default', () => {
    for (const [name, { file }] of Object.entries(compose.secrets)) {
      const fallback = /:-([^}]+)\}/.exec(file)?.[1] ?? file;
      expect(existsSync(path.join(ROOT, fallback)), name).toBe(true);
    }
  });
});
