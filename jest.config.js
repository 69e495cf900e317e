/** Unit specs beside the code, integration specs on the embedded default (PGlite, in-process). */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test/integration'],
  testRegex: '\\.(spec|int-spec)\\.ts$',
  transform: { '^.+\\.(ts|js|mjs)$': swc },
  // ESM-only packages that CommonJS code requires (Node 20's require(esm) does not reach into Jest's
  // module system): compile them to CommonJS like our own code.
  transformIgnorePatterns: [
    '/node_modules/(?!(content-disposition|glob|path-scurry|lru-cache|minimatch|minipass|jackspeak|@isaacs|balanced-match|brace-expansion|package-json-from-dist)/)',
  ],
  moduleNameMapper: { '^@app/(contracts|messaging|persistence|platform)(/.*)?$': '<rootDir>/libs/$1/src$2' },
  setupFiles: ['reflect-metadata'],
  // Generous: four PGlite databases start per suite, and CI machines are shared.
  testTimeout: 180000,
  maxWorkers: 2,
};
