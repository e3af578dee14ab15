/**
 * A throw-away PostgreSQL cluster for tests: `initdb` into a temporary folder, `pg_ctl` on a free
 * loopback port, trust authentication on 127.0.0.1 only, stopped and deleted afterwards. As root
 * (CI, this machine) the server runs as the `postgres` user, which owns the folder.
 *
 * Where no PostgreSQL binaries exist the tests skip with the reason; with
 * MCDEWEY_REQUIRE_POSTGRES=1 (CI) they fail instead, so a green run always exercised PostgreSQL.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';

export interface TestPostgres {
  /** postgres://…/<database> of a fresh, empty database. */
  url: string;
  port: number;
  /** A further empty database on the same cluster (one per test, say). */
  createDatabase(name: string): string;
  /** Stops the server as a crash would (immediate mode), leaving the data; `start` brings it back. */
  stopImmediately(): void;
  start(): void;
  stop(): void;
}

const SEARCH_PATHS = ['/usr/lib/postgresql'];

/** The folder holding initdb/pg_ctl of the newest installed PostgreSQL, or undefined. */
export function postgresBinDir(): string | undefined {
  const fromEnv = process.env['MCDEWEY_PG_BIN'];
  if (fromEnv && fs.existsSync(path.join(fromEnv, 'initdb'))) return fromEnv;
  for (const root of SEARCH_PATHS) {
    if (!fs.existsSync(root)) continue;
    const versions = fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const bin = path.join(root, version, 'bin');
      if (fs.existsSync(path.join(bin, 'initdb')) && fs.existsSync(path.join(bin, 'pg_ctl'))) return bin;
    }
  }
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  return onPath ? path.dirname(onPath) : undefined;
}

/**
 * `{ skip: reason }` for node:test where PostgreSQL cannot run here, `{}` where it can. Throws when
 * MCDEWEY_REQUIRE_POSTGRES=1 and it cannot, so CI fails rather than skips.
 */
export function postgresTestOptions(): { skip?: string } {
  if (postgresBinDir()) return {};
  const reason = 'PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin or on PATH; apt-get install postgresql)';
  if (process.env['MCDEWEY_REQUIRE_POSTGRES'] === '1') throw new Error(`MCDEWEY_REQUIRE_POSTGRES=1 but ${reason}`);
  return { skip: reason };
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function run(bin: string, command: string, args: string[]): string {
  const file = path.join(bin, command);
  const [exe, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  return execFileSync(exe, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a cluster; call `stop()` when done (an `after` hook). */
export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('no PostgreSQL binaries (see postgresTestOptions)');
  // Under /tmp rather than os.tmpdir(): the postgres user must reach the folder through every parent.
  const root = fs.mkdtempSync(path.join(asRoot ? '/tmp' : os.tmpdir(), 'mcdewey-pg-'));
  const data = path.join(root, 'data');
  const socketDir = path.join(root, 'sock');
  fs.mkdirSync(data);
  fs.mkdirSync(socketDir);
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', root]);
  run(bin, 'initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const options = [
    `-p ${port}`, "-c listen_addresses=127.0.0.1", `-c unix_socket_directories=${socketDir}`, '-c fsync=off',
    '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=200', '-c shared_buffers=64MB',
  ].join(' ');
  const log = path.join(root, 'server.log');
  const start = () => {
    run(bin, 'pg_ctl', ['-D', data, '-o', options, '-l', log, '-w', '-t', '60', 'start']);
  };
  start();
  let stopped = false;
  const base = `postgres://postgres@127.0.0.1:${port}`;
  const createDatabase = (name: string) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
    run(bin, 'psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-qAtc', `CREATE DATABASE ${name}`]);
    return `${base}/${name}`;
  };
  return {
    url: createDatabase('mcdewey_test'),
    port,
    createDatabase,
    stopImmediately: () => run(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']),
    start,
    stop: () => {
      if (stopped) return;
      stopped = true;
      try {
        run(bin, 'pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } catch {
        // Already stopped (a test stopped it and failed before restarting): the folder still goes.
      }
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * For a test file over one throw-away cluster: starts it before the file's tests (unless PostgreSQL
 * is missing, see postgresTestOptions) and stops it after them, removing the temporary folders
 * `folder` made. `database` creates a fresh database on it and returns its URL.
 */
export function usePostgresCluster(): { database(name: string): string; folder(prefix: string): string } {
  let cluster: TestPostgres | undefined;
  const temp: string[] = [];
  before(async () => {
    if (!postgresTestOptions().skip) cluster = await startTestPostgres();
  });
  after(() => {
    cluster?.stop();
    for (const dir of temp) fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    database(name) {
      if (!cluster) throw new Error('the PostgreSQL test cluster is not running');
      return cluster.createDatabase(name);
    },
    folder(prefix) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
      temp.push(dir);
      return dir;
    },
  };
}
