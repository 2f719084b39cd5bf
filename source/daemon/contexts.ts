import {createHash} from 'node:crypto';
import {existsSync, readFileSync, readdirSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';
import {UsageError, UserError} from '../errors.js';
import {defaultUnixSocket, parseHost, type Endpoint, type TlsMaterial} from './endpoint.js';

export interface EndpointRequest {
	/** --host / -H */
	host?: string;
	/** --context, repeatable */
	contexts?: string[];
	allContexts?: boolean;
	env?: NodeJS.ProcessEnv;
}

interface ContextMeta {
	Name?: unknown;
	Endpoints?: {docker?: {Host?: unknown; SkipTLSVerify?: unknown}};
}

/** The Docker CLI's config directory: $DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigDir(env: NodeJS.ProcessEnv): string {
	return env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
}

const contextDigest = (name: string) => createHash('sha256').update(name).digest('hex');

/**
 * Which daemons to show, following the Docker CLI's precedence: --context, --host,
 * DOCKER_HOST, DOCKER_CONTEXT, currentContext in config.json, then the default socket.
 */
export function resolveEndpoints(request: EndpointRequest): Endpoint[] {
	const env = request.env ?? process.env;
	const contexts = request.contexts ?? [];
	if (request.host && (contexts.length > 0 || request.allContexts)) {
		throw new UsageError('conflicting options: give either --host or --context/--all-contexts, not both');
	}
	if (request.allContexts) {
		return ['default', ...listContextNames(env)].map((name) => contextEndpoint(name, env));
	}
	if (contexts.length > 0) {
		const unique = [...new Set(contexts)];
		return unique.map((name) => contextEndpoint(name, env));
	}
	if (request.host) return [defaultEndpoint(env, {url: request.host, source: '--host'})];
	if (env.DOCKER_HOST) return [defaultEndpoint(env, {url: env.DOCKER_HOST, source: 'DOCKER_HOST'})];
	if (env.DOCKER_CONTEXT) return [contextEndpoint(env.DOCKER_CONTEXT, env)];
	const current = currentContext(env);
	if (current) return [contextEndpoint(current, env)];
	return [defaultEndpoint(env)];
}

/** Names of the contexts stored in the Docker config directory (not counting "default"). */
export function listContextNames(env: NodeJS.ProcessEnv): string[] {
	const metaRoot = join(dockerConfigDir(env), 'contexts', 'meta');
	if (!existsSync(metaRoot)) return [];
	const names: string[] = [];
	for (const digest of readdirSync(metaRoot)) {
		const meta = readMeta(join(metaRoot, digest, 'meta.json'), digest);
		if (typeof meta.Name === 'string') names.push(meta.Name);
	}
	return names.sort();
}

function currentContext(env: NodeJS.ProcessEnv): string | undefined {
	const file = join(dockerConfigDir(env), 'config.json');
	if (!existsSync(file)) return undefined;
	try {
		const config = JSON.parse(readFileSync(file, 'utf8')) as {currentContext?: unknown};
		return typeof config.currentContext === 'string' && config.currentContext !== '' ? config.currentContext : undefined;
	} catch (error) {
		throw new UsageError(`${file} is not valid JSON (${(error as Error).message}); fix or remove it`);
	}
}

function defaultEndpoint(env: NodeJS.ProcessEnv, given?: {url: string; source: string}): Endpoint {
	const url = given?.url ?? `unix://${defaultUnixSocket}`;
	const source = given?.source ?? 'default socket';
	const transport = parseHost(url, source);
	if (transport.kind === 'tcp' && (env.DOCKER_TLS_VERIFY || env.DOCKER_TLS)) {
		const certDir = env.DOCKER_CERT_PATH || dockerConfigDir(env);
		transport.tls = readTls(certDir, Boolean(env.DOCKER_TLS_VERIFY), `DOCKER_CERT_PATH ${certDir}`);
	}
	return {name: 'default', url, transport, source};
}

function contextEndpoint(name: string, env: NodeJS.ProcessEnv): Endpoint {
	if (name === 'default') {
		return env.DOCKER_HOST ? defaultEndpoint(env, {url: env.DOCKER_HOST, source: 'DOCKER_HOST'}) : defaultEndpoint(env);
	}
	const root = join(dockerConfigDir(env), 'contexts');
	const digest = contextDigest(name);
	const metaFile = join(root, 'meta', digest, 'meta.json');
	if (!existsSync(metaFile)) {
		throw new UsageError(`context "${name}" does not exist (see \`docker context ls\`)`);
	}
	const meta = readMeta(metaFile, name);
	const host = meta.Endpoints?.docker?.Host;
	if (typeof host !== 'string' || host === '') {
		throw new UsageError(`context "${name}": ${metaFile} has no docker endpoint host`);
	}
	const transport = parseHost(host, `context "${name}"`);
	const tlsDir = join(root, 'tls', digest, 'docker');
	if (transport.kind === 'tcp' && existsSync(tlsDir)) {
		const verify = meta.Endpoints?.docker?.SkipTLSVerify !== true;
		transport.tls = readTls(tlsDir, verify, `context "${name}" TLS directory ${tlsDir}`);
	}
	return {name, url: host, transport, source: `context "${name}"`};
}

function readMeta(file: string, label: string): ContextMeta {
	try {
		const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
		if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
		return parsed as ContextMeta;
	} catch (error) {
		throw new UsageError(`context "${label}": malformed ${file} (${(error as Error).message})`);
	}
}

/** Read ca/cert/key.pem; a client cert without its key (or the reverse) is an error. */
function readTls(dir: string, verify: boolean, label: string): TlsMaterial {
	const read = (file: string) => {
		const path = join(dir, file);
		return existsSync(path) ? readFileSync(path) : undefined;
	};
	if (!existsSync(dir)) throw new UserError(`${label} does not exist`, 2);
	const ca = read('ca.pem');
	const cert = read('cert.pem');
	const key = read('key.pem');
	if (Boolean(cert) !== Boolean(key)) {
		throw new UserError(`${label}: ${cert ? 'key.pem' : 'cert.pem'} is missing`, 2);
	}
	if (verify && !ca) throw new UserError(`${label}: ca.pem is missing (needed to verify the daemon)`, 2);
	return {verify, ...(ca ? {ca} : {}), ...(cert ? {cert} : {}), ...(key ? {key} : {})};
}
