/**
 * The directions of the architecture: apps use libs; libs never use apps; no app uses another.
 * Services talk only through events in libs/contracts. The embedded runner (apps/embedded) is the
 * one composition root that hosts all four services in one process.
 */
module.exports = {
  forbidden: [
    {
      name: 'lib-imports-app',
      severity: 'error',
      comment: 'Libraries hold what services share; they never depend on a service.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'app-imports-other-app',
      severity: 'error',
      comment: 'A service reaches another only through events (libs/contracts).',
      from: { path: '^apps/([^/]+)/', pathNot: '^apps/embedded/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'embedded-reaches-into-service-internals',
      severity: 'error',
      comment: 'The embedded runner composes services by their root module only.',
      from: { path: '^apps/embedded/' },
      to: { path: '^apps/(vehicle-registry|violations|payment-gateway|notification)/', pathNot: '^apps/[^/]+/src/[^/]+\\.module\\.ts$' },
    },
    {
      name: 'no-circular-libs',
      severity: 'error',
      from: { path: '^libs/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '(^dist/|^node_modules/|\\.spec\\.ts$)' },
  },
};
