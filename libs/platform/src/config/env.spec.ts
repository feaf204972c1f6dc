import * as path from 'node:path';
import { ConfigValidationError, loadConfig } from './env';

describe('loadConfig', () => {
  it('gives the embedded default with documented defaults', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c.port).toBe(3000);
    expect(c.database).toEqual({ mode: 'embedded', dbPath: path.join('/srv/app/data', 'db'), port: 0 });
    expect(c.seedOnStart).toBe('auto');
    expect(c.corsOrigins).toEqual([]);
    expect(c.bodyLimitBytes).toBe(1024 * 1024);
  });

  it('uses MONGODB_URI when set and treats an empty one as unset', () => {
    expect(loadConfig({ MONGODB_URI: 'mongodb://a:1,b:2/x?replicaSet=rs0' }).database).toEqual({
      mode: 'external',
      uri: 'mongodb://a:1,b:2/x?replicaSet=rs0',
    });
    expect(loadConfig({ MONGODB_URI: '' }).database.mode).toBe('embedded');
  });

  it('keeps 0 as a value rather than falling back to a default', () => {
    expect(loadConfig({ PORT: '0', EMBEDDED_DB_PORT: '0' }).port).toBe(0);
  });

  it('splits CORS origins', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example ,' }).corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it.each([
    [{ PORT: 'abc' }, ['PORT']],
    [{ PORT: '70000' }, ['PORT']],
    [{ MONGODB_URI: 'postgres://x' }, ['MONGODB_URI']],
    [{ SEED_ON_START: 'sometimes' }, ['SEED_ON_START']],
    [{ LOG_LEVEL: 'loud', BODY_LIMIT_BYTES: '12' }, ['LOG_LEVEL', 'BODY_LIMIT_BYTES']],
  ])('names every bad variable in %j', (env, names) => {
    let thrown: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ConfigValidationError);
    expect((thrown as ConfigValidationError).variables.sort()).toEqual([...names].sort());
    for (const n of names) expect((thrown as Error).message).toContain(n);
  });

  it('ignores variables it does not own', () => {
    expect(() => loadConfig({ PATH: '/bin', HOME: '/root', npm_config_x: '1' })).not.toThrow();
  });

  it('reads JOBS_RUN: all by default, none, or a list of job names', () => {
    expect(loadConfig({}).jobs.run).toEqual(['media.ingest', 'study.sweep', 'audit.checkpoint', 'audit.verify', 'compliance.sweep', 'oversight.refresh', 'recordings.faces', 'evidence.sweep']);
    expect(loadConfig({ JOBS_RUN: 'none' }).jobs.run).toEqual([]);
    expect(loadConfig({ JOBS_RUN: ' study.sweep , study.sweep' }).jobs.run).toEqual(['study.sweep']);
  });

  it.each([['media.ingset'], [','], ['all,none']])('refuses JOBS_RUN=%j, naming the jobs there are', (value) => {
    expect(() => loadConfig({ JOBS_RUN: value })).toThrow(/JOBS_RUN.*media\.ingest, study\.sweep/);
  });

  it('refuses the old MEDIA_RUN_JOBS rather than ignoring it, pointing to JOBS_RUN', () => {
    expect(() => loadConfig({ MEDIA_RUN_JOBS: 'false' })).toThrow(/MEDIA_RUN_JOBS 已由 JOBS_RUN 取代/);
  });
});
