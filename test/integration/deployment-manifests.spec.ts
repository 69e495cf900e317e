/**
 * The deployment manifests (Dockerfile, docker-compose.yml, k8s/) agree with the code: the service
 * ports and databases in libs/platform/src/services.ts, the health and metrics routes, and the
 * documented configuration variables. Docker does not run on every machine that runs the tests, so
 * the manifests are parsed and checked here rather than started.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
// Importing the platform loads its configuration classes, whose @Env decorators document every variable.
import { SERVICES, SERVICE_NAMES, SERVICE_NODE_FLAGS, ServiceName, documentedEnvVars, loadPlatformConfig } from '@app/platform';

const ROOT = join(__dirname, '..', '..');
const K8S_DIR = join(ROOT, 'k8s');
const SECRET_TEMPLATE = 'secret.template.yaml';
const SECRET_NAME = 'traffic-fines-secrets';
const NAMESPACE = 'traffic-fines';
const PRODUCTION_NEEDS = ['NODE_ENV', 'PORT', 'DB_DRIVER', 'DATABASE_URL', 'EVENT_TRANSPORT', 'KAFKA_BROKERS', 'AUTH_JWT_SECRET'];
/** Stands in for the operator's secret when a manifest's environment is put through the configuration check. */
const SAMPLE_JWT_SECRET = 'a-deployment-test-secret-of-more-than-32-bytes';
const SAMPLE_BANK_SECRETS = JSON.stringify({ nbk: 'sample-bank-secret-for-the-manifest-test' });
/** The operator's SMS provider and SMTP server for notification, which production refuses to start without. */
const SAMPLE_PROVIDERS = { SMS_PROVIDER_URL: 'https://sms.example.kw/api/send', SMTP_URL: 'smtps://user:password@mail.example.kw:465' };

type Env = Record<string, string>;

interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, string> | string[] };
  ports?: (string | number | { target: number; published?: string | number })[];
  environment?: Record<string, string | number | boolean | null> | string[];
  healthcheck?: { test?: string | string[] };
  depends_on?: string[] | Record<string, { condition?: string }>;
  volumes?: (string | { source?: string; target?: string })[];
}

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [field: string]: unknown;
}

interface Probe {
  httpGet?: { path?: string; port?: number | string };
}

interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: { cpu?: string; memory?: string }; limits?: { cpu?: string; memory?: string } };
  lifecycle?: { preStop?: { exec?: { command?: string[] }; sleep?: { seconds?: number } } };
  securityContext?: { runAsNonRoot?: boolean; readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
  volumeMounts?: { name: string; mountPath: string }[];
}

interface PodSpec {
  containers: Container[];
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  volumes?: { name: string; emptyDir?: object }[];
}

interface Deployment extends Manifest {
  spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
}

interface Service extends Manifest {
  spec: { type?: string; selector: Record<string, string>; ports: { port: number; targetPort?: number | string }[] };
}

interface Hpa extends Manifest {
  spec: {
    scaleTargetRef: { apiVersion: string; kind: string; name: string };
    minReplicas: number;
    maxReplicas: number;
    metrics: { type: string; resource?: { name: string; target: { type: string; averageUtilization?: number } } }[];
  };
}

function read(...path: string[]): string {
  return readFileSync(join(ROOT, ...path), 'utf8');
}

/** Every document of a YAML file, failing on any syntax error. */
function yamlDocuments(file: string): Manifest[] {
  const documents = parseAllDocuments(readFileSync(file, 'utf8'));
  const list = Array.isArray(documents) ? documents : [documents];
  for (const document of list) {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.map((e) => e.message).join('; ')}`);
  }
  return list.map((document) => document.toJS() as Manifest | null).filter((m): m is Manifest => m !== null);
}

// ---------------------------------------------------------------- docker-compose.yml

// Compose understands `<<` merge keys (the shared service settings use them).
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };

function composeService(name: string): ComposeService {
  const service = compose.services[name];
  if (!service) throw new Error(`docker-compose.yml has no service ${name}`);
  return service;
}

function composeEnvironment(service: ComposeService): Env {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(environment.map((entry) => [entry.split('=')[0], entry.slice(entry.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

/** `${VAR}`, `${VAR:-default}` and `${VAR:?message}` as `docker compose` resolves them from `shell`. */
function interpolate(value: string, shell: Env): string {
  return value.replace(/\$\{(\w+)(?:(:?[-?])([^}]*))?\}/g, (_match, name: string, operator: string | undefined, argument: string) => {
    const set = shell[name];
    if (operator?.endsWith('-')) return set || argument;
    if (operator?.endsWith('?') && !set) throw new Error(`compose would stop: ${name}: ${argument}`);
    return set ?? '';
  });
}

/** "3001:3001", "127.0.0.1:${HOST_PORT:-3001}:3001/tcp", 3001 or the long syntax, as published and container ports. */
function portMappings(service: ComposeService, shell: Env = {}): { published: number; target: number }[] {
  return (service.ports ?? []).map((port) => {
    if (typeof port === 'object') return { published: Number(interpolate(String(port.published), shell)), target: port.target };
    const parts = interpolate(String(port), shell)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    const target = Number(parts[parts.length - 1]);
    return { published: parts.length > 1 ? Number(parts[parts.length - 2]) : NaN, target };
  });
}

function healthcheckText(service: ComposeService): string {
  const test = service.healthcheck?.test ?? '';
  return Array.isArray(test) ? test.join(' ') : test;
}

function dependsOnHealthy(service: ComposeService, dependency: string): boolean {
  const dependsOn = service.depends_on;
  return !!dependsOn && !Array.isArray(dependsOn) && dependsOn[dependency]?.condition === 'service_healthy';
}

// ---------------------------------------------------------------- k8s/

const k8sFiles = readdirSync(K8S_DIR)
  .filter((file) => /\.ya?ml$/.test(file))
  .sort();
const manifestsByFile = new Map(k8sFiles.map((file) => [file, yamlDocuments(join(K8S_DIR, file))]));
const appliedManifests = k8sFiles
  .filter((file) => file !== SECRET_TEMPLATE && file !== 'kustomization.yaml')
  .flatMap((file) => manifestsByFile.get(file) ?? []);

function k8s<T extends Manifest>(kind: string, name: string): T {
  const found = appliedManifests.find((m) => m.kind === kind && m.metadata?.name === name);
  if (!found) throw new Error(`k8s/ has no ${kind} ${name}`);
  return found as T;
}

const kustomization = (manifestsByFile.get('kustomization.yaml') ?? [])[0] as unknown as { resources?: string[]; namespace?: string } | undefined;
const configMaps = appliedManifests.filter((m) => m.kind === 'ConfigMap') as (Manifest & { data?: Env })[];
const secretTemplate = (manifestsByFile.get(SECRET_TEMPLATE) ?? [])[0] as (Manifest & { type?: string; stringData?: Env; data?: Env }) | undefined;
const secretValues: Env = { ...(secretTemplate?.stringData ?? {}) };

function container(service: ServiceName): Container {
  const deployment = k8s<Deployment>('Deployment', service);
  const found = deployment.spec.template.spec.containers.find((c) => c.name === service) ?? deployment.spec.template.spec.containers[0];
  if (!found) throw new Error(`Deployment ${service} has no container`);
  return found;
}

/** A probe's or a Service's port as a number: named ports resolve to the container's port of that name. */
function resolvePort(target: Container, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  if (port !== undefined && /^\d+$/.test(port)) return Number(port);
  return target.ports?.find((p) => p.name === port)?.containerPort;
}

/** The variables a container gets: its ConfigMaps (envFrom), then its own env (which wins). Secret values are the template's. */
function containerEnvironment(target: Container): Env {
  const env: Env = {};
  for (const source of target.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, configMaps.find((m) => m.metadata.name === source.configMapRef?.name)?.data ?? {});
    if (source.secretRef) Object.assign(env, secretValues);
  }
  for (const variable of target.env ?? []) {
    const secretRef = variable.valueFrom?.secretKeyRef;
    const configRef = variable.valueFrom?.configMapKeyRef;
    if (variable.value !== undefined) env[variable.name] = String(variable.value);
    else if (secretRef) env[variable.name] = secretValues[secretRef.key] ?? '';
    else if (configRef) env[variable.name] = configMaps.find((m) => m.metadata.name === configRef.name)?.data?.[configRef.key] ?? '';
  }
  return env;
}

/** What the operator would put in place of the template's placeholders, for the configuration check. */
function withSampleSecrets(env: Env): Env {
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [
      key,
      key === 'AUTH_JWT_SECRET' ? SAMPLE_JWT_SECRET : key === 'BANK_SECRETS' ? SAMPLE_BANK_SECRETS : value.replaceAll('REPLACE_ME', 'placeholder'),
    ]),
  );
}

const documented = new Set(documentedEnvVars().map((v) => v.name));

describe('deployment manifests', () => {
  it('every Kubernetes manifest is valid YAML with a kind and a name', () => {
    expect(k8sFiles.length).toBeGreaterThan(0);
    for (const [file, manifests] of manifestsByFile) {
      expect({ file, documents: manifests.length }).not.toEqual({ file, documents: 0 });
      if (file === 'kustomization.yaml') continue;
      for (const manifest of manifests)
        expect({ file, kind: typeof manifest.kind, name: typeof manifest.metadata?.name }).toEqual({ file, kind: 'string', name: 'string' });
    }
  });

  it('the configuration documents the variables these checks rely on', () => {
    for (const name of PRODUCTION_NEEDS) expect(documented).toContain(name);
  });

  describe('the Dockerfile', () => {
    const dockerfile = read('Dockerfile');

    it('builds on node:20-bookworm-slim in stages and runs the chosen service as a non-root user', () => {
      expect(dockerfile.match(/^FROM node:20-bookworm-slim\b/gm)?.length).toBeGreaterThanOrEqual(2);
      expect(dockerfile).toMatch(/^ARG SERVICE\b/m);
      expect(dockerfile).toMatch(/dist\/apps\/\$\{SERVICE\}\/src\/main\.js/);
      expect(dockerfile).toMatch(/^ENV[\s\S]*NODE_ENV=production/m);
      expect(dockerfile).toMatch(/^USER (?!root\b|0\b)\S+/m);
      expect(dockerfile).toMatch(/^HEALTHCHECK[\s\S]*\/health\/live/m);
    });

    it.each(SERVICE_NAMES)('exposes the port of %s and has its entry point to run', (service) => {
      const exposed = dockerfile
        .match(/^EXPOSE (.+)$/m)?.[1]
        .split(/\s+/)
        .map((p) => Number(p.replace(/\/tcp$/, '')));
      expect(exposed).toContain(SERVICES[service].port);
      expect(existsSync(join(ROOT, 'apps', service, 'src', 'main.ts'))).toBe(true);
    });

    it('starts a service with the Node flags of every service process, as the npm start scripts do', () => {
      const flags = SERVICE_NODE_FLAGS.join(' ');
      expect(dockerfile).toMatch(/^CMD .*exec node (\S+ )*\\"dist\/apps\/\$\{SERVICE\}\/src\/main\.js/m);
      expect(dockerfile).toContain(`exec node ${flags} \\"dist/apps/`);
      const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
      const starts = Object.entries(scripts).filter(([name, script]) => name.startsWith('start') && script.includes('/src/main.js'));
      expect(starts.map(([name]) => name).sort()).toEqual(['start', 'start:dev', ...SERVICE_NAMES.map((s) => `start:${s}`)].sort());
      for (const [, script] of starts) expect(script).toMatch(new RegExp(`node ${flags} dist/apps/[\\w-]+/src/main\\.js$`));
    });

    it('keeps dependencies, build output and local data out of the build context', () => {
      const ignored = read('.dockerignore')
        .split('\n')
        .map((line) => line.trim());
      for (const entry of ['node_modules', 'dist', '.data', '.git', 'coverage', '*.log']) expect(ignored).toContain(entry);
    });
  });

  describe('docker-compose.yml', () => {
    it('runs PostgreSQL 15 with an init script that creates every service database', () => {
      const postgres = composeService('postgres');
      expect(postgres.image).toMatch(/^postgres:15\b/);
      const mounts = (postgres.volumes ?? []).map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}`));
      expect(mounts).toContainEqual(expect.stringMatching(/^\.\/infra\/postgres\/init\.sql:\/docker-entrypoint-initdb\.d\//));
      const init = read('infra', 'postgres', 'init.sql');
      for (const service of SERVICE_NAMES) expect(init).toMatch(new RegExp(`CREATE DATABASE "?${SERVICES[service].database}"?\\s*;`));
    });

    it('runs Apache Kafka 4 as one KRaft node that is both broker and controller', () => {
      const kafka = composeService('kafka');
      const env = composeEnvironment(kafka);
      expect(kafka.image).toMatch(/^apache\/kafka:4\./);
      expect(env.KAFKA_NODE_ID).toBe('1');
      expect(env.KAFKA_PROCESS_ROLES.split(',').sort()).toEqual(['broker', 'controller']);
      expect(env.KAFKA_LISTENERS).toContain('CONTROLLER://:9093');
      expect(env.KAFKA_ADVERTISED_LISTENERS).toContain('PLAINTEXT://kafka:9092');
      expect(env.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR).toBe('1');
      expect(env.KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR).toBe('1');
      expect(env.KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS).toBe('0');
      expect(portMappings(kafka).map((p) => p.published)).toContain(9092);
    });

    it('gives PostgreSQL and Kafka healthchecks the services can wait for', () => {
      expect(healthcheckText(composeService('postgres'))).toMatch(/pg_isready/);
      expect(healthcheckText(composeService('kafka'))).toMatch(/kafka-broker-api-versions/);
    });

    it.each(SERVICE_NAMES)('builds %s from the one Dockerfile with its SERVICE build argument', (service) => {
      const build = composeService(service).build;
      expect(typeof build).toBe('object');
      if (typeof build !== 'object') return;
      expect(build.context ?? '.').toBe('.');
      expect(build.dockerfile ?? 'Dockerfile').toBe('Dockerfile');
      const args = Array.isArray(build.args) ? Object.fromEntries(build.args.map((a) => a.split('='))) : build.args;
      expect(args?.SERVICE).toBe(service);
    });

    it.each(SERVICE_NAMES)('publishes %s on its own port', (service) => {
      expect(portMappings(composeService(service))).toEqual([{ published: SERVICES[service].port, target: SERVICES[service].port }]);
    });

    it.each(SERVICE_NAMES)('sets PORT of %s to its own port', (service) => {
      expect(composeEnvironment(composeService(service)).PORT).toBe(String(SERVICES[service].port));
    });

    it.each(SERVICE_NAMES)('checks that %s is ready on /health/ready', (service) => {
      expect(healthcheckText(composeService(service))).toContain('/health/ready');
    });

    it.each(SERVICE_NAMES)("points the DATABASE_URL of %s at the service's own database on the postgres container", (service) => {
      const url = new URL(composeEnvironment(composeService(service)).DATABASE_URL);
      expect(url.protocol).toBe('postgres:');
      expect(url.hostname).toBe('postgres');
      expect(url.pathname).toBe(`/${SERVICES[service].database}`);
    });

    it.each(SERVICE_NAMES)('starts %s only once PostgreSQL and Kafka are healthy', (service) => {
      expect(dependsOnHealthy(composeService(service), 'postgres')).toBe(true);
      expect(dependsOnHealthy(composeService(service), 'kafka')).toBe(true);
    });

    it.each(SERVICE_NAMES)('refuses to start %s without AUTH_JWT_SECRET from the shell', (service) => {
      const secret = composeEnvironment(composeService(service)).AUTH_JWT_SECRET;
      expect(secret).toMatch(/^\$\{AUTH_JWT_SECRET:\?[^}]+\}$/);
      expect(() => interpolate(secret, {})).toThrow(/AUTH_JWT_SECRET/);
    });
  });

  describe('k8s/', () => {
    it('the kustomization lists every manifest except the secret template', () => {
      const expected = k8sFiles.filter((file) => file !== 'kustomization.yaml' && file !== SECRET_TEMPLATE);
      expect([...(kustomization?.resources ?? [])].sort()).toEqual(expected);
      expect(kustomization?.resources).not.toContain(SECRET_TEMPLATE);
      expect(kustomization?.namespace).toBe(NAMESPACE);
    });

    it('every applied object lives in the traffic-fines namespace, which exists', () => {
      expect(k8s('Namespace', NAMESPACE)).toBeDefined();
      for (const manifest of appliedManifests.filter((m) => m.kind !== 'Namespace'))
        expect({ object: `${manifest.kind}/${manifest.metadata.name}`, namespace: manifest.metadata.namespace }).toEqual({
          object: `${manifest.kind}/${manifest.metadata.name}`,
          namespace: NAMESPACE,
        });
    });

    it('the secret template names the Secret and holds placeholders only', () => {
      expect(secretTemplate?.kind).toBe('Secret');
      expect(secretTemplate?.metadata.name).toBe(SECRET_NAME);
      expect(secretTemplate?.data).toBeUndefined();
      expect(Object.keys(secretValues).sort()).toEqual(
        ['AUTH_JWT_SECRET', 'BANK_SECRETS', 'SMS_PROVIDER_URL', 'SMS_PROVIDER_AUTH', 'SMTP_URL', ...SERVICE_NAMES.map((s) => SERVICES[s].urlVariable)].sort(),
      );
      for (const value of Object.values(secretValues)) expect(value).toContain('REPLACE_ME');
    });

    it.each(SERVICE_NAMES)('has a Deployment for %s whose container listens on its port', (service) => {
      const target = container(service);
      expect(target.image).toBe(`traffic-fines/${service}:latest`);
      expect(target.ports?.map((p) => p.containerPort)).toEqual([SERVICES[service].port]);
      expect(containerEnvironment(target).PORT).toBe(String(SERVICES[service].port));
    });

    it.each(SERVICE_NAMES)("the liveness probe of %s checks /health/live on the service's port", (service) => {
      const target = container(service);
      expect(target.livenessProbe?.httpGet?.path).toBe('/health/live');
      expect(resolvePort(target, target.livenessProbe?.httpGet?.port)).toBe(SERVICES[service].port);
    });

    it.each(SERVICE_NAMES)("the readiness probe of %s checks /health/ready on the service's port", (service) => {
      const target = container(service);
      expect(target.readinessProbe?.httpGet?.path).toBe('/health/ready');
      expect(resolvePort(target, target.readinessProbe?.httpGet?.port)).toBe(SERVICES[service].port);
    });

    it.each(SERVICE_NAMES)('the startup probe of %s gives it time to start before liveness applies', (service) => {
      const target = container(service);
      expect(target.startupProbe?.httpGet?.path).toBe('/health/live');
      expect(resolvePort(target, target.startupProbe?.httpGet?.port)).toBe(SERVICES[service].port);
    });

    it.each(SERVICE_NAMES)('%s sets resource requests and limits for CPU and memory', (service) => {
      const { resources } = container(service);
      expect(resources?.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(resources?.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    });

    it.each(SERVICE_NAMES)('%s stops gracefully: a preStop pause drains readiness within the grace period', (service) => {
      const pod = k8s<Deployment>('Deployment', service).spec.template.spec;
      const preStop = container(service).lifecycle?.preStop;
      expect(pod.terminationGracePeriodSeconds).toBe(30);
      expect(preStop?.exec?.command ?? ['sleep', String(preStop?.sleep?.seconds)]).toEqual(['sleep', '5']);
    });

    it.each(SERVICE_NAMES)('%s runs as non-root on a read-only root filesystem with a writable /tmp', (service) => {
      const pod = k8s<Deployment>('Deployment', service).spec.template.spec;
      const target = container(service);
      expect(pod.securityContext?.runAsNonRoot ?? target.securityContext?.runAsNonRoot).toBe(true);
      expect(target.securityContext?.readOnlyRootFilesystem).toBe(true);
      const tmp = target.volumeMounts?.find((m) => m.mountPath === '/tmp');
      expect(pod.volumes?.find((v) => v.name === tmp?.name)?.emptyDir).toBeDefined();
    });

    it.each(SERVICE_NAMES)('the Service of %s sends its port to the pods of its Deployment', (service) => {
      const svc = k8s<Service>('Service', service);
      const deployment = k8s<Deployment>('Deployment', service);
      expect(svc.spec.type ?? 'ClusterIP').toBe('ClusterIP');
      expect(svc.spec.ports).toHaveLength(1);
      expect(svc.spec.ports[0].port).toBe(SERVICES[service].port);
      expect(resolvePort(container(service), svc.spec.ports[0].targetPort ?? svc.spec.ports[0].port)).toBe(SERVICES[service].port);
      expect(deployment.spec.template.metadata.labels).toEqual(expect.objectContaining(svc.spec.selector));
      expect(deployment.spec.template.metadata.labels).toEqual(expect.objectContaining(deployment.spec.selector.matchLabels));
    });

    it.each(SERVICE_NAMES)('an autoscaler scales the Deployment of %s on 70% CPU between 2 and 10 pods', (service) => {
      const hpa = appliedManifests.find((m): m is Hpa => m.kind === 'HorizontalPodAutoscaler' && (m as Hpa).spec.scaleTargetRef.name === service);
      expect(hpa?.apiVersion).toBe('autoscaling/v2');
      expect(hpa?.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: service });
      expect([hpa?.spec.minReplicas, hpa?.spec.maxReplicas]).toEqual([2, 10]);
      expect(hpa?.spec.metrics).toContainEqual({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } });
    });

    it.each(SERVICE_NAMES)('%s reads DATABASE_URL from the Secret key of its own database', (service) => {
      const ref = container(service).env?.find((v) => v.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef;
      expect(ref).toEqual({ name: SECRET_NAME, key: SERVICES[service].urlVariable });
      expect(new URL(withSampleSecrets(secretValues)[SERVICES[service].urlVariable]).pathname).toBe(`/${SERVICES[service].database}`);
    });

    it.each(SERVICE_NAMES)('%s reads AUTH_JWT_SECRET from the Secret', (service) => {
      expect(container(service).env?.find((v) => v.name === 'AUTH_JWT_SECRET')?.valueFrom?.secretKeyRef).toEqual({ name: SECRET_NAME, key: 'AUTH_JWT_SECRET' });
    });
  });

  describe('configuration in the manifests', () => {
    it('every variable the compose services set is a documented configuration variable', () => {
      // postgres and kafka are configured by their images' own variables (POSTGRES_*, KAFKA_*).
      const names = SERVICE_NAMES.flatMap((service) => Object.keys(composeEnvironment(composeService(service))));
      expect(names.filter((name) => !documented.has(name))).toEqual([]);
    });

    it('every variable the Kubernetes manifests set is a documented configuration variable', () => {
      const names = [
        ...configMaps.flatMap((m) => Object.keys(m.data ?? {})),
        ...Object.keys(secretValues),
        ...SERVICE_NAMES.flatMap((service) => (container(service).env ?? []).map((v) => v.name)),
      ];
      expect(names.length).toBeGreaterThan(0);
      expect(names.filter((name) => !documented.has(name))).toEqual([]);
    });

    it.each(SERVICE_NAMES)('compose gives %s every variable production needs, set for production', (service) => {
      const env = composeEnvironment(composeService(service));
      expect(PRODUCTION_NEEDS.filter((name) => !env[name])).toEqual([]);
      expect([env.NODE_ENV, env.DB_DRIVER, env.EVENT_TRANSPORT, env.KAFKA_BROKERS]).toEqual(['production', 'postgres', 'kafka', 'kafka:9092']);
    });

    it.each(SERVICE_NAMES)('Kubernetes gives %s every variable production needs, set for production', (service) => {
      const env = containerEnvironment(container(service));
      expect(PRODUCTION_NEEDS.filter((name) => !env[name])).toEqual([]);
      expect([env.NODE_ENV, env.DB_DRIVER, env.EVENT_TRANSPORT]).toEqual(['production', 'postgres', 'kafka']);
    });

    it.each(SERVICE_NAMES)('the compose environment of %s passes the production configuration check', (service) => {
      const raw = composeEnvironment(composeService(service));
      const env = Object.fromEntries(
        Object.entries(raw).map(([key, value]) => [
          key,
          interpolate(value, { AUTH_JWT_SECRET: SAMPLE_JWT_SECRET, BANK_SECRETS: SAMPLE_BANK_SECRETS, ...SAMPLE_PROVIDERS }),
        ]),
      );
      expect(() => loadPlatformConfig(env, [service])).not.toThrow();
    });

    it.each(SERVICE_NAMES)('the Kubernetes environment of %s passes the production configuration check once the Secret is filled in', (service) => {
      const env = withSampleSecrets(containerEnvironment(container(service)));
      expect(() => loadPlatformConfig(env, [service])).not.toThrow();
    });
  });
});
