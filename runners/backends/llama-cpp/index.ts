export { LlamaCppAdapter, type LlamaCppAdapterOptions } from './llama-adapter.js';
export { KV_CACHE_TYPES, kvCacheSetup, type KvCacheSetup, type KvCacheType } from './kv-cache-type.js';
