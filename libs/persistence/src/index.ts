export * from './database.module';
export * from './embedded-postgres';
export * from './migrations';
export * from './snake-naming.strategy';
export * from './transaction-host';
export * from './typeorm-logger';
export * from './postgres-errors';
export * from './plate-owners';
