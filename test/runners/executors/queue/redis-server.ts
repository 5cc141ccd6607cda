/** A private redis-server for queue tests: a free loopback port, a temp dir, no persistence; stopped by the test. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { tempDir } from '../../fixtures.js';

/** A running test Redis. */
export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** Stops the server and waits for it to exit. */
  stop(): Promise<void>;
}

/** True when redis-server is installed (else prints one SKIP line naming `what`). */
export function hasRedisServer(what: string): boolean {
  if (spawnSync('redis-server', ['--version']).status === 0) return true;
  console.log(`SKIP ${what}: redis-server not installed (npm run setup installs it)`);
  return false;
}

/** A loopback port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts redis-server (extra `args` such as `['--maxmemory-policy', 'allkeys-lru']`) and waits until it accepts connections. */
export async function startRedis(args: readonly string[] = []): Promise<TestRedis> {
  const port = await freePort();
  const dir = tempDir('redis');
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--dir', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer): void => {
      output += d.toString();
      if (output.includes('Ready to accept connections')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output.slice(-300)}`)));
  });
  child.stdout?.removeAllListeners('data').resume();
  child.stderr?.removeAllListeners('data').resume();
  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
