import {UsageError} from '../errors.js';

/** TLS material for a tcp endpoint, already read from disk. */
export interface TlsMaterial {
	ca?: Buffer;
	cert?: Buffer;
	key?: Buffer;
	/** false: encrypt but do not verify the server (DOCKER_TLS_VERIFY unset with certs). */
	verify: boolean;
	/** Verify the chain against `ca` but not the name (a DinD's certificate names itself). */
	skipHostname?: boolean;
}

/** How to reach a root daemon, as the Docker CLI would. */
export type Transport =
	| {kind: 'unix'; socketPath: string}
	| {kind: 'tcp'; host: string; port: number; tls?: TlsMaterial}
	/** No port: ssh picks it (~/.ssh/config, else 22), as with the Docker CLI. */
	| {kind: 'ssh'; host: string; port?: number; username?: string}
	| {kind: 'npipe'; path: string};

export interface Endpoint {
	/** The root's name in paths: the context name, "default" when none. */
	name: string;
	/** The host URL as the user wrote it (or as the context holds it). */
	url: string;
	transport: Transport;
	/** Where the endpoint came from, for error messages: "--host", "DOCKER_HOST", "context foo". */
	source: string;
}

export const defaultUnixSocket = '/var/run/docker.sock';

/**
 * Parse a Docker host URL the way the Docker CLI accepts it.
 * `source` names where it came from so the error says which setting to fix.
 */
export function parseHost(url: string, source: string): Transport {
	const trimmed = url.trim();
	const bad = (why: string) => new UsageError(`${source} "${url}": ${why} (expected unix:///path, tcp://host:port or ssh://user@host)`);
	const match = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(trimmed);
	if (!match) throw bad('no scheme');
	const scheme = match[1]!.toLowerCase();
	const rest = match[2]!;
	switch (scheme) {
		case 'unix': {
			if (!rest.startsWith('/')) throw bad('unix socket path must be absolute');
			return {kind: 'unix', socketPath: rest};
		}
		case 'npipe': {
			return {kind: 'npipe', path: rest || '//./pipe/docker_engine'};
		}
		case 'tcp':
		case 'http':
		case 'https':
		case 'ssh': {
			if (rest === '' || rest.startsWith('/') || rest.startsWith(':')) throw bad('missing host');
			let parsed: URL;
			try {
				parsed = new URL(`${scheme === 'ssh' ? 'ssh' : 'http'}://${rest}`);
			} catch {
				throw bad('malformed address');
			}
			if (!parsed.hostname) throw bad('missing host');
			if (parsed.pathname !== '/' && parsed.pathname !== '') throw bad('a path is not supported');
			const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
			if (scheme === 'ssh') {
				const username = parsed.username ? sshUsername(parsed.username, bad) : undefined;
				return {
					kind: 'ssh',
					host,
					...(parsed.port ? {port: Number(parsed.port)} : {}),
					...(username ? {username} : {}),
				};
			}
			// Docker's default: 2376 means TLS, everything else plain 2375.
			const port = parsed.port ? Number(parsed.port) : scheme === 'https' ? 2376 : 2375;
			return {kind: 'tcp', host, port};
		}
		default:
			throw bad(`unsupported scheme "${scheme}"`);
	}
}

/**
 * The user name of an ssh:// URL, percent-decoded as the Docker CLI does, for `ssh -l`. What it
 * decodes to must be a plain name: ssh expands %-tokens (%h, %r) in some settings, a shell may
 * run a ProxyCommand or Match exec that holds %r, and a leading "-" reads as an option. A name
 * with any of those (or a control character, or a space) is refused rather than passed on.
 */
function sshUsername(encoded: string, bad: (why: string) => UsageError): string {
	let name: string;
	try {
		name = decodeURIComponent(encoded);
	} catch {
		throw bad('the user name has a malformed %-escape');
	}
	if (name.includes('%')) throw bad('the user name must not contain "%" (ssh would read it as a %-token)');
	if (name.startsWith('-')) throw bad('the user name must not start with "-"');
	if (/[\s\u0000-\u001F\u007F-\u009F'"`;&<>|(){}\\$]/.test(name)) throw bad('the user name holds a space, a control or a shell character');
	return name;
}

/** A short human label for a transport, used as the route of a root daemon. */
export function describeTransport(transport: Transport): string {
	switch (transport.kind) {
		case 'unix':
			return `unix socket ${transport.socketPath}`;
		case 'npipe':
			return `named pipe ${transport.path}`;
		case 'ssh':
			return `ssh ${transport.username ? `${transport.username}@` : ''}${transport.host}${transport.port ? `:${transport.port}` : ''}`;
		case 'tcp':
			return transport.tls
				? `tcp ${transport.host}:${transport.port} (tls${transport.tls.verify ? '' : ', unverified'})`
				: `tcp ${transport.host}:${transport.port} (insecure)`;
	}
}
