/** The validated configuration of the process. */
export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');
/** The services hosted by this process (one when distributed, four when embedded). */
export const HOSTED_SERVICES = Symbol('HOSTED_SERVICES');
/** The @nestjs/microservices transport strategy that consumes events, provided by messaging. */
export const EVENT_TRANSPORT_SERVER = Symbol('EVENT_TRANSPORT_SERVER');
