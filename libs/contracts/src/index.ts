export * from './asyncapi';
export * from './catalogue';
export * from './envelope';
export * from './events/registry.events';
export * from './identifiers';
export * from './money';
export * from './topics';
export * from './validators';
