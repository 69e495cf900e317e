/** End-to-end: the services as separate processes on real Kafka and real PostgreSQL (npm run infra:up first). */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/e2e'],
  testRegex: '\\.e2e-spec\\.ts$',
  testTimeout: 180000,
  maxWorkers: 1,
};
