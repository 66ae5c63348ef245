export { Tally, formatCounts, sumTallies, type TallyCounts } from './tally.js';
export {
  appEntry,
  childrenOf,
  descendantsOf,
  isAlive,
  killTree,
  runApp,
  spawnApp,
  waitFor,
  type Captured,
  type RunResult,
} from './processes.js';
export { startRedis, type RedisServer } from './redis.js';
export { startTcpFailoverProxy, type TcpFailoverProxy } from './tcp-proxy.js';
export { Ear, TONES_HZ, startToneClient, streamCount, type ServerCredentials } from './tone-clients.js';
export { TRANSCRIPTION_TOPIC, cpuSeconds, joinHostilePeer, randomText, rssMb, type HostilePeer } from './hostile-peer.js';
export { asNobody, checksumTree, spawnAsNobody } from './local-attacker.js';
