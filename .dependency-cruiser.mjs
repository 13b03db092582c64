/**
 * The layer arrows of docs/architecture.md, checked by `npm run lint`. Paths are relative to the
 * repository root; `ports.ts` files are the interfaces a room declares for what it needs from outside.
 */
const CAPABILITIES = '(crawl|fixes|validation|learning)';
const OUTER = '(api|cli|main)';
/**
 * The queue's contract, which api/ may use (cli/ goes through main/ for everything): the port, the job catalogue (names, payload
 * schemas, priorities), job-id keys and error wording. All driver-free data; the drivers (BullMQ,
 * in-process, the Redis connection) stay behind main/.
 */
const QUEUE_CONTRACT = '^src/queue/(ports|catalogue|dedupe-keys|queue-errors)[.]ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No cycles anywhere: a cycle makes two files one idea and breaks the layer order.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain/ is the pure core: it imports nothing of ours outside itself.',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'engine-is-inner',
      severity: 'error',
      comment: 'engine/ (analysis) knows nothing of the rooms that use it, the store, the queue or the outer layers.',
      from: { path: '^src/engine/' },
      to: { path: `^src/(${CAPABILITIES.slice(1, -1)}|store|queue|cache|${OUTER.slice(1, -1)})/` },
    },
    {
      name: 'capabilities-know-no-infrastructure',
      severity: 'error',
      comment: 'crawl/, fixes/, validation/ and learning/ declare what they need in their ports.ts; store/queue/cache and the outer layers are wired in by main/.',
      from: { path: `^src/${CAPABILITIES}/` },
      to: { path: `^src/(store|queue|cache|${OUTER.slice(1, -1)})/` },
    },
    {
      name: 'crawl-is-on-top-of-the-capabilities',
      severity: 'error',
      comment: 'crawl/ orchestrates fixes/, validation/, learning/, git/, attribution/ and io/; none of them imports crawl/.',
      from: { path: '^src/(fixes|validation|learning|git|attribution|io)/' },
      to: { path: '^src/crawl/' },
    },
    {
      name: 'capability-order',
      severity: 'error',
      comment: 'learning/ builds on fixes/, fixes/ on validation/; never the other way round, and git/ uses none of them.',
      from: { path: '^src/(validation|fixes|git)/' },
      to: { path: '^src/(learning|attribution)/' },
    },
    {
      name: 'validation-does-not-fix',
      severity: 'error',
      comment: 'validation/ judges a fix it is given; it does not import fix generation or application.',
      from: { path: '^src/(validation|git)/' },
      to: { path: '^src/fixes/' },
    },
    {
      name: 'io-is-plumbing',
      severity: 'error',
      comment: 'io/ (files, processes, copies) knows nothing of findings, fixes or the store: only domain/ and config/.',
      from: { path: '^src/io/' },
      to: { path: '^src/', pathNot: '^src/(io|domain|config)/' },
    },
    {
      name: 'infrastructure-is-not-outer',
      severity: 'error',
      comment: 'store/, queue/ and cache/ are used by api/, cli/ and main/, never the other way round.',
      from: { path: '^src/(store|queue|cache)/' },
      to: { path: `^src/${OUTER}/` },
    },
    {
      name: 'infrastructure-uses-ports-only',
      severity: 'error',
      comment: "store/, queue/ and cache/ implement other rooms' ports: they may import those ports, the domain and config, never another layer's implementation files.",
      from: { path: '^src/(store|queue|cache)/' },
      to: { path: '^src/', pathNot: ['^src/$1/', '^src/(domain|config)/', '/ports[.]ts$'] },
    },
    {
      name: 'api-uses-no-store-or-queue-implementation',
      severity: 'error',
      comment: 'api/ sees the store and the queue through their ports; main/ builds them. api/ never imports main/.',
      from: { path: '^src/api/' },
      to: { path: '^src/(store|queue)/', pathNot: ['^src/store/ports[.]ts$', QUEUE_CONTRACT] },
    },
    {
      name: 'api-does-not-import-main',
      severity: 'error',
      comment: 'main/ composes the api; the api receives what it needs (e.g. the tool version) through its deps.',
      from: { path: '^src/api/' },
      to: { path: '^src/main/' },
    },
    {
      name: 'cli-goes-through-main',
      severity: 'error',
      comment: 'Only main/ knows which database, queue and cache are in use; cli/ asks main/ for them.',
      from: { path: '^src/cli/' },
      to: { path: '^src/(store|queue|cache)/' },
    },
    {
      name: 'integrations-are-independent',
      severity: 'error',
      comment: 'One integration never reaches into another; what they share lives in integrations/net/.',
      from: { path: '^src/integrations/([^/]+)/' },
      to: { path: '^src/integrations/', pathNot: ['^src/integrations/$1/', '^src/integrations/net/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.mjs', '.json'] },
  },
};
