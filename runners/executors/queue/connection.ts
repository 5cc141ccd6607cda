/**
 * The `--queue` URL: parsed up front (one line naming the flag and the fix), then proven
 * by a PING, a Redis version BullMQ supports, and `maxmemory-policy noeviction` (under any
 * other policy Redis may evict queued jobs and their locks, and a run would lose shards).
 */
import type { RedisOptions } from 'ioredis';
import { InputError, messageOf } from '../../../core/errors.js';

/** Connection settings taken from a `redis://` or `rediss://` URL. */
export interface QueueConnection {
  /** The URL without its password, for logs and run.json. */
  readonly display: string;
  readonly options: RedisOptions;
}

const EXAMPLE = 'redis://HOST:PORT/DB, e.g. redis://127.0.0.1:6379/0 (rediss:// for TLS, redis://:PASSWORD@HOST:PORT/DB with a password)';

/** Parses `--queue`; a malformed URL is an InputError naming the flag. */
export function parseQueueUrl(url: string, flag = '--queue'): QueueConnection {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError(`${flag} '${url}' is not a URL; give ${EXAMPLE}`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new InputError(`${flag} '${url}': the scheme must be redis: or rediss:, not ${u.protocol}; give ${EXAMPLE}`);
  if (u.hostname === '') throw new InputError(`${flag} '${url}' names no host; give ${EXAMPLE}`);
  const port = u.port === '' ? 6379 : Number(u.port);
  const dbText = u.pathname.replace(/^\//u, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!/^\d*$/u.test(dbText) || !Number.isInteger(db) || db > 15) throw new InputError(`${flag} '${url}': the database '${dbText}' must be a number 0–15; give ${EXAMPLE}`);
  if (u.search !== '' || u.hash !== '') throw new InputError(`${flag} '${url}': query strings and fragments are not supported; give ${EXAMPLE}`);
  const host = u.hostname.replace(/^\[(.*)\]$/u, '$1');
  const options: RedisOptions = {
    host,
    port,
    db,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    // BullMQ's blocking commands must wait as long as they need.
    maxRetriesPerRequest: null,
  };
  return { display: `${u.protocol}//${u.hostname}:${port}/${db}`, options };
}

/** Parses `INFO` text into its `key:value` fields. */
export function infoFields(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/u)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  return out;
}

/** True when Redis `version` (`7.0.15`) is at least 6.2, BullMQ's floor for what we use. */
export function supportedRedisVersion(version: string): boolean {
  const [major, minor] = version.split('.').map(Number);
  return major > 6 || (major === 6 && minor >= 2);
}

/**
 * Connects once to prove the URL: unreachable, wrong password, too old a Redis or an
 * evicting memory policy are InputErrors naming `flag` and the fix.
 */
export async function checkQueueConnection(connection: QueueConnection, flag = '--queue', timeoutMs = 3000): Promise<void> {
  // Loaded here, not at the top: a worker parses its URL and forks its processors before it loads a Redis client.
  const { Redis } = await import('ioredis');
  const client = new Redis({ ...connection.options, lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  client.on('error', () => undefined);
  try {
    try {
      await client.connect();
      await client.ping();
    } catch (e) {
      throw new InputError(`${flag} ${connection.display}: Redis does not answer (${messageOf(e)}); start redis-server there, or fix the host, port or password in the URL`);
    }
    const info = infoFields(`${await client.info('server')}\n${await client.info('memory')}`);
    const version = info.get('redis_version') ?? '?';
    if (!supportedRedisVersion(version)) throw new InputError(`${flag} ${connection.display}: Redis ${version} is too old for BullMQ; use Redis 6.2 or newer`);
    const policy = info.get('maxmemory_policy');
    if (policy !== undefined && policy !== 'noeviction') {
      throw new InputError(`${flag} ${connection.display}: Redis evicts keys under memory pressure (maxmemory-policy ${policy}), which would lose queued shards; set maxmemory-policy noeviction (redis-cli CONFIG SET maxmemory-policy noeviction)`);
    }
  } finally {
    client.disconnect();
  }
}
