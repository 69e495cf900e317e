import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';

export interface EnvVarDoc {
  name: string;
  description: string;
  secret: boolean;
  group: string;
}

const DOCS = new Map<string, EnvVarDoc>();

/** Documents an environment variable: the README table and the deployment manifests test read this. */
export function Env(description: string, options: { secret?: boolean } = {}): PropertyDecorator {
  return (target, property) => {
    const name = String(property);
    DOCS.set(name, { name, description, secret: options.secret ?? false, group: target.constructor.name });
  };
}

export function documentedEnvVars(): EnvVarDoc[] {
  return [...DOCS.values()];
}

/** A configuration that cannot run. The message names every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map(
      (msg) => `${e.property}: ${msg} (got ${e.value === undefined ? 'nothing' : JSON.stringify(DOCS.get(e.property)?.secret ? '***' : e.value)})`,
    ),
  );
}

/** Reads one configuration class from the environment; blank values count as unset. */
export function readEnv<T extends object>(cls: new () => T, env: NodeJS.ProcessEnv): { value: T; problems: string[] } {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const value = plainToInstance(cls, present, { exposeDefaultValues: true, enableImplicitConversion: true, excludeExtraneousValues: false });
  const errors = validateSync(value, { whitelist: false, skipMissingProperties: false });
  return { value, problems: describe(errors) };
}
