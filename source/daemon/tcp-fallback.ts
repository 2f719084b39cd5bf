import type Docker from 'dockerode';
import {clientForTransport, type DaemonClient} from './client.js';
import type {Transport} from './endpoint.js';
import type {Connection} from './inner-route.js';
import {tarFiles} from './tar-files.js';

/**
 * When a DinD container has no docker CLI (no exec tunnel), its daemon may still listen on
 * tcp: 2375 in the clear (insecure), or 2376 with TLS and the client certificates the official
 * image keeps in /certs/client (read through the archive API). Tried through a published port,
 * or the container's own address when its parent runs on this host.
 */
export interface TcpRoute {
	connection: Connection;
	route: string;
	insecure: boolean;
}

/** No tcp route now. `final`: nothing to try at all (no port published or reachable from here). */
export class NoTcpRouteError extends Error {
	constructor(
		message: string,
		readonly final: boolean,
	) {
		super(message);
		this.name = 'NoTcpRouteError';
	}
}

export interface ParentReach {
	client: DaemonClient;
	/** Host name that reaches ports the parent publishes: 127.0.0.1 for a local daemon. */
	publishedHost?: string;
	/** The parent runs on this host, so its containers' bridge addresses are reachable. */
	local: boolean;
	timeoutMs: number;
}

async function readClientCerts(client: DaemonClient, containerId: string): Promise<{ca: Buffer; cert: Buffer; key: Buffer} | undefined> {
	try {
		const stream = (await client.docker.getContainer(containerId).getArchive({path: '/certs/client'})) as unknown as NodeJS.ReadableStream;
		const chunks: Buffer[] = [];
		for await (const chunk of stream) chunks.push(chunk as Buffer);
		const files = tarFiles(Buffer.concat(chunks));
		const find = (name: string) => [...files.entries()].find(([path]) => path.endsWith(`/${name}`) || path === name)?.[1];
		const [ca, cert, key] = [find('ca.pem'), find('cert.pem'), find('key.pem')];
		return ca && cert && key ? {ca, cert, key} : undefined;
	} catch {
		return undefined;
	}
}

/**
 * tcp ports dockerd listens on by its command line (`-H tcp://0.0.0.0:4444`, `--host=…`, a
 * `$PORT` the environment sets), other than Docker's own 2375/2376; TLS when it verifies.
 */
export function listenedPorts(argv: string[], env: string[]): Array<readonly [number, boolean]> {
	const words = argv.join(' ');
	const tls = /--tlsverify\b|--tls\b/.test(words);
	const portVariable = env.find((entry) => entry.startsWith('PORT='))?.slice(5);
	const ports = [...words.matchAll(/tcp:\/\/[^\s:'"]*:(\d{1,5}|\$\{?PORT\}?)/g)]
		.map((match) => (/PORT/.test(match[1]!) ? Number(portVariable) : Number(match[1])))
		.filter((port) => Number.isInteger(port) && port > 0 && port < 65536 && port !== 2375 && port !== 2376);
	return [...new Set(ports)].map((port) => [port, tls] as const);
}

/** The candidates in order, each probed with /_ping; the first that answers wins. */
export async function findTcpRoute(parent: ParentReach, containerId: string): Promise<TcpRoute | NoTcpRouteError> {
	let inspect: Docker.ContainerInspectInfo;
	try {
		inspect = await parent.client.docker.getContainer(containerId).inspect();
	} catch (error) {
		return new NoTcpRouteError(`inspect failed: ${(error as Error).message}`, false);
	}
	const ports = inspect.NetworkSettings?.Ports ?? {};
	const addresses = Object.values(inspect.NetworkSettings?.Networks ?? {})
		.map((network) => network.IPAddress)
		.filter(Boolean);
	const candidates: Array<{host: string; port: number; tls: boolean; how: string}> = [];
	for (const [port, tls] of [
		...listenedPorts([inspect.Path, ...(inspect.Args ?? [])], inspect.Config?.Env ?? []),
		[2376, true] as const,
		[2375, false] as const,
	]) {
		for (const binding of ports[`${port}/tcp`] ?? []) {
			if (!parent.publishedHost) continue;
			const host = !binding.HostIp || binding.HostIp === '0.0.0.0' || binding.HostIp === '::' ? parent.publishedHost : binding.HostIp;
			candidates.push({host, port: Number(binding.HostPort), tls, how: `published ${port}`});
		}
		if (parent.local) for (const address of addresses) candidates.push({host: address, port, tls, how: `container address`});
	}
	if (candidates.length === 0) {
		return new NoTcpRouteError('no docker CLI in container, and no 2375/2376 reachable from here; publish 2375 or install docker-cli', true);
	}
	const certs = candidates.some((candidate) => candidate.tls) ? await readClientCerts(parent.client, containerId) : undefined;
	const tried: string[] = [];
	for (const candidate of candidates) {
		if (candidate.tls && !certs) {
			tried.push(`${candidate.host}:${candidate.port} (no client certs in /certs/client)`);
			continue;
		}
		const transport: Transport = {
			kind: 'tcp',
			host: candidate.host,
			port: candidate.port,
			// The CA is the container's own; the server name on its certificate is not ours to check.
			...(candidate.tls && certs ? {tls: {...certs, verify: true, skipHostname: true}} : {}),
		};
		const client = clientForTransport(transport, parent.timeoutMs);
		try {
			await client.docker.ping();
			const route = candidate.tls
				? `tcp ${candidate.host}:${candidate.port} (tls, ${candidate.how})`
				: `tcp ${candidate.host}:${candidate.port} (insecure, ${candidate.how})`;
			return {connection: {client}, route, insecure: !candidate.tls};
		} catch (error) {
			client.close();
			tried.push(`${candidate.host}:${candidate.port} (${(error as Error).message})`);
		}
	}
	// A daemon still booting (dockerd 20.10 waits 15 s before serving plain tcp): try again later.
	return new NoTcpRouteError(`no docker CLI in container; tcp did not answer: ${tried.join(', ')}`, false);
}
