import {http, https} from './node-http.js';
import type {ClientRequest, Agent as HttpAgent} from 'node:http';
import Docker from 'dockerode';
import {limitAnswers, quietInspect} from './answer-limit.js';
import {describeTransport, type Transport} from './endpoint.js';
import {openExecTunnel, TunnelAgent} from './exec-tunnel.js';
import {SshAgent, SshSocket} from './ssh-transport.js';
import {isIP, connect as netConnect} from 'node:net';
import {connect as tlsConnect, type TLSSocket} from 'node:tls';
import type {Duplex} from 'node:stream';
import type {ProcSocket} from './proc-socket.js';
import {TimeoutError} from '../errors.js';

/** A new raw connection to the daemon's API (for forwarding it byte for byte). */
export type Connector = () => Duplex;

/** The newest API version whose responses this code reads; older daemons get their own. */
export const maxApiVersion = '1.47';

/**
 * Two dockerode instances over one connection pool: `docker` for requests (each bounded by
 * the timeout) and `streams` for events, logs, attach and tunnels (docker-modem's timeout
 * would kill them while idle).
 */
export class DaemonClient {
	readonly docker: Docker;
	readonly streams: Docker;
	/**
	 * Requests that take long but answer once (stop waits for the grace period, an image load,
	 * a pull): no idle timeout, the answer limit still applies; callers give a deadline.
	 */
	readonly slow: Docker;
	private closed = false;
	/**
	 * Whether a half-close may be passed on through `connect`'s connections: not through
	 * dial-stdio (an exec tunnel), which shuts its daemon connection when its input ends.
	 */
	halfClose = true;

	private readonly agents: HttpAgent[];

	constructor(
		/** How this daemon is reached, for people: "unix socket /x", "exec tunnel via default/dind-a". */
		public route: string,
		modemOptions: Docker.DockerOptions,
		readonly timeoutMs: number,
		agents: {requests?: HttpAgent; streams?: HttpAgent; slow?: HttpAgent} = {},
		/** A raw connection to the daemon, whatever the route: `forward` pipes one per client. */
		readonly connect: Connector = () => {
			throw new Error(`${route}: no raw connection`);
		},
	) {
		// Requests get an agent of their own that refuses oversized answers; streams (events,
		// logs, attach) are endless by design and must not share it.
		const requests = agents.requests ? namedTimeouts(limitAnswers(agents.requests)) : sharedRequestAgent();
		const slow = agents.slow ? limitAnswers(agents.slow) : requests;
		this.docker = withDeadline(createDockerode({...modemOptions, agent: requests, timeout: timeoutMs} as Docker.DockerOptions), timeoutMs);
		this.streams = createDockerode({...modemOptions, ...(agents.streams ? {agent: quietInspect(agents.streams)} : {})} as Docker.DockerOptions);
		this.slow = createDockerode({...modemOptions, agent: slow} as Docker.DockerOptions);
		this.agents = [...(agents.requests ? [requests] : []), ...(agents.streams ? [agents.streams] : []), ...(agents.slow ? [slow] : [])];
	}

	/** Pin the API version to what both sides speak (old daemons reject newer clients). */
	negotiate(serverApiVersion: string | undefined): string | undefined {
		if (!serverApiVersion) return undefined;
		const chosen = compareVersions(serverApiVersion, maxApiVersion) < 0 ? serverApiVersion : maxApiVersion;
		for (const instance of [this.docker, this.streams, this.slow]) {
			(instance.modem as {version?: string}).version = `v${chosen}`;
		}
		return chosen;
	}

	/** A client for the daemon inside one of this daemon's containers, through exec tunnels. */
	tunnelTo(containerId: string, route: string, timeoutMs = this.timeoutMs): DaemonClient {
		const open = () => {
			const socket = openExecTunnel({docker: this.docker, streams: this.streams, containerId, timeoutMs, closed: () => this.closed});
			// While a tunnel is being opened through this client (exec create, then start), closing
			// it waits: cut in between, the exec would stay created and never started.
			this.openings++;
			socket.opened.finally(() => {
				this.openings--;
				if (this.closed && this.openings === 0) this.destroyAgents();
			});
			return socket;
		};
		// Requests share two pooled tunnels (each tunnel is a process in the container, so few);
		// long-lived streams (events, logs, hijacked execs) get tunnels of their own.
		const requests = new TunnelAgent(open, {maxSockets: 1});
		const streams = new TunnelAgent(open, {keepAlive: false});
		// A slow request must not hold the one pooled tunnel: its own, closed after it.
		const slow = new TunnelAgent(open, {keepAlive: false});
		const client = new DaemonClient(route, {protocol: 'http', host: 'docker', port: 80}, timeoutMs, {requests, streams, slow}, open);
		client.halfClose = false;
		return client;
	}

	get isClosed(): boolean {
		return this.closed;
	}

	/** Close pooled connections; for a tunnel this ends every exec it opened. */
	close(): void {
		this.closed = true;
		if (this.openings === 0) this.destroyAgents();
	}

	private openings = 0;

	private readonly releases: (() => void)[] = [];

	/** Something to let go of once the agents are gone (a pinned socket). */
	onRelease(release: () => void): void {
		this.releases.push(release);
	}

	private destroyAgents(): void {
		for (const agent of this.agents) agent.destroy();
		for (const release of this.releases.splice(0)) release();
	}
}

let shared: HttpAgent | undefined;

/**
 * Plain requests to local sockets and plain tcp share one pool, as Node's global agent would
 * (with the answer limit). It is never destroyed: closing a client must not cut a request
 * still on its way, such as the exec create of a child's tunnel (an exec created and never
 * started stays in its container's ExecIDs).
 */
function sharedRequestAgent(): HttpAgent {
	shared ??= namedTimeouts(limitAnswers(new http.Agent({keepAlive: true, timeout: 5000})));
	return shared;
}

/**
 * A daemon behind a socket held open (the /proc route): every connection, pooled or raw, is to
 * that socket. Its pools are its own: a pool shared by path could hand a kept-alive connection
 * to whoever gets the same /proc/self/fd number next.
 */
export function clientForPinnedSocket(pinned: ProcSocket, timeoutMs: number): DaemonClient {
	const agent = (keepAlive: boolean) => {
		const pool = new http.Agent({keepAlive, ...(keepAlive ? {timeout: 5000} : {})});
		(pool as unknown as {createConnection: () => Duplex}).createConnection = () => pinned.socket.connect();
		return pool;
	};
	const client = new DaemonClient(
		`unix socket ${pinned.shown}`,
		// Never connected to (the pools connect to the pin); the modem needs a socket path.
		{socketPath: '/dev/null'},
		timeoutMs,
		{requests: agent(true), streams: agent(false), slow: agent(false)},
		() => pinned.socket.connect(),
	);
	client.onRelease(() => pinned.close());
	return client;
}

/**
 * docker-modem ends a request that idles past its timeout with a bare destroy(), which fails
 * it as "socket hang up", read as a reset: a hung daemon would say "connection reset". This
 * listener comes first (docker-modem adds its own after the agent has the request) and fails
 * it as the timeout it is.
 */
function namedTimeouts<A extends HttpAgent>(agent: A): A {
	const addRequest = (agent as unknown as {addRequest: (request: ClientRequest, options: unknown) => void}).addRequest.bind(agent);
	(agent as unknown as {addRequest: typeof addRequest}).addRequest = (request, options) => {
		// Only a request given a timeout of its own (docker-modem calls setTimeout): a slow one
		// (stop's grace period, an image load) shares the pool, whose idle timer must not end it.
		let idleMs = 0;
		const setTimeout = request.setTimeout.bind(request);
		request.setTimeout = (ms: number, callback?: () => void) => {
			idleMs = ms;
			return setTimeout(ms, callback);
		};
		request.once('timeout', () => {
			if (idleMs > 0) request.destroy(new TimeoutError(`${request.method} ${request.path.split('?')[0]}`, idleMs));
		});
		addRequest(request, options);
	};
	return agent;
}

/**
 * A TLS handshake that gets no answer (a paused daemon) fails after timeoutMs. Node's idle
 * timer alone lets it wait about twice that: a write still queued postpones the first expiry.
 */
function handshakeDeadline(agent: InstanceType<typeof https.Agent>, timeoutMs: number): InstanceType<typeof https.Agent> {
	const create = (agent as unknown as {createConnection: (...args: unknown[]) => TLSSocket}).createConnection.bind(agent);
	(agent as unknown as {createConnection: typeof create}).createConnection = (...args) => {
		const socket = create(...args);
		const timer = setTimeout(() => socket.destroy(new TimeoutError('TLS handshake', timeoutMs)), timeoutMs);
		timer.unref();
		socket.once('secureConnect', () => clearTimeout(timer)).once('close', () => clearTimeout(timer));
		return socket;
	};
	return agent;
}

export function clientForTransport(transport: Transport, timeoutMs: number): DaemonClient {
	const route = describeTransport(transport);
	switch (transport.kind) {
		case 'unix':
			return new DaemonClient(route, {socketPath: transport.socketPath}, timeoutMs, {}, () => netConnect(transport.socketPath));
		case 'npipe':
			return new DaemonClient(route, {socketPath: transport.path}, timeoutMs, {}, () => netConnect(transport.path));
		case 'ssh': {
			// Through the system ssh, as the Docker CLI: two pooled processes for requests, one per stream.
			const target = {host: transport.host, port: transport.port, ...(transport.username ? {username: transport.username} : {})};
			return new DaemonClient(
				route,
				{protocol: 'http', host: 'docker', port: 80},
				timeoutMs,
				{
					requests: new SshAgent(target, {keepAlive: true, maxSockets: 2}),
					streams: new SshAgent(target, {keepAlive: false}),
					slow: new SshAgent(target, {keepAlive: false}),
				},
				() => new SshSocket(target),
			);
		}
		case 'tcp': {
			if (!transport.tls) {
				return new DaemonClient(route, {protocol: 'http', host: transport.host, port: transport.port}, timeoutMs, {}, () =>
					netConnect(transport.port, transport.host),
				);
			}
			const {ca, cert, key, verify, skipHostname} = transport.tls;
			const agent = () =>
				handshakeDeadline(
					new https.Agent({
						keepAlive: true,
						ca,
						cert,
						key,
						rejectUnauthorized: verify,
						...(skipHostname ? {checkServerIdentity: () => undefined} : {}),
					}),
					timeoutMs,
				);
			return new DaemonClient(
				route,
				{protocol: 'https', host: transport.host, port: transport.port},
				timeoutMs,
				{
					requests: agent(),
					streams: agent(),
					slow: agent(),
				},
				() =>
					tlsConnect({
						host: transport.host,
						port: transport.port,
						ca,
						cert,
						key,
						rejectUnauthorized: verify,
						...(skipHostname ? {checkServerIdentity: () => undefined} : isIP(transport.host) ? {} : {servername: transport.host}),
					}),
			);
		}
	}
}

/** Poll a daemon until it answers /_ping. */
export async function waitForDaemon(client: DaemonClient, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	while (Date.now() < deadline) {
		try {
			await client.docker.ping();
			return;
		} catch (error) {
			last = error;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}
	throw new Error(`daemon ${client.route} did not answer in ${timeoutMs} ms: ${String(last)}`);
}

/**
 * docker-modem's timeout starts when a request has a connection; one queued behind a busy
 * pooled connection would wait without limit. A deadline per request covers the queue too.
 */
function withDeadline(docker: Docker, timeoutMs: number): Docker {
	const modem = docker.modem as unknown as {dial: (options: Record<string, unknown>, callback: unknown) => unknown};
	const dial = modem.dial.bind(modem);
	modem.dial = (options, callback) =>
		dial(options.abortSignal || options.hijack || options.isStream ? options : {...options, abortSignal: AbortSignal.timeout(timeoutMs * 2)}, callback);
	return docker;
}

const dockerEnvKeys = ['DOCKER_HOST', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_CLIENT_TIMEOUT'];

/**
 * docker-modem reads DOCKER_HOST and friends in its constructor and throws on values it
 * cannot parse, even when explicit options are given. Endpoints are resolved by
 * dockerception itself, so the modem must not see them.
 */
function createDockerode(options: Docker.DockerOptions): Docker {
	const saved = dockerEnvKeys.map((key) => [key, process.env[key]] as const);
	for (const key of dockerEnvKeys) delete process.env[key];
	try {
		return new Docker({host: undefined, ...options});
	} finally {
		for (const [key, value] of saved) if (value !== undefined) process.env[key] = value;
	}
}

/** Compare dotted versions numerically: "1.41" < "1.47" < "1.100". */
export function compareVersions(a: string, b: string): number {
	const left = a.split('.').map(Number);
	const right = b.split('.').map(Number);
	for (let index = 0; index < Math.max(left.length, right.length); index++) {
		const difference = (left[index] ?? 0) - (right[index] ?? 0);
		if (difference !== 0) return difference;
	}
	return 0;
}
