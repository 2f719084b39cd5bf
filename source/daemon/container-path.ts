import {hostProcRoot} from './proc-socket.js';
import type Docker from 'dockerode';
import {UserError} from '../errors.js';
import {clientForTransport} from './client.js';
import type {Endpoint} from './endpoint.js';
import {classifyContainer} from './classify.js';
import {connectInner, type Connection} from './inner-route.js';
import {unreachableReason} from './reasons.js';

/**
 * Follow a path like "default/dind-b/dind-b1/inner-c1" without walking the whole tree: one
 * container lookup per level, reaching each daemon on the way as discovery would.
 * Paths are the ones --json, the breadcrumb and the TUI show.
 */
export interface ResolvedDaemon {
	path: string;
	connection: Connection;
	/** Every connection opened on the way, outermost first: close them all when done. */
	opened: Connection[];
}

export interface ResolvedContainer extends ResolvedDaemon {
	container: Docker.ContainerInspectInfo;
	containerPath: string;
}

export interface PathOptions {
	endpoints: Endpoint[];
	timeoutMs: number;
	maxDepth: number;
	tunnelsOnly?: boolean;
}

function splitPath(path: string, endpoints: Endpoint[]): string[] {
	const parts = path.split('/').filter(Boolean);
	if (parts.length === 0) throw new UserError('an empty path (expected e.g. default/dind-a/box)', 2);
	if (endpoints.some((endpoint) => endpoint.name === parts[0])) return parts;
	// The root may be left out when there is just one.
	if (endpoints.length === 1) return [endpoints[0]!.name, ...parts];
	throw new UserError(`path "${path}" must start with one of the roots: ${endpoints.map((e) => e.name).join(', ')}`, 2);
}

export function closeAll(opened: Connection[]): void {
	for (const connection of [...opened].reverse()) connection.client.close();
}

async function findContainer(connection: Connection, daemonPath: string, name: string): Promise<Docker.ContainerInspectInfo> {
	try {
		return await connection.client.docker.getContainer(name).inspect();
	} catch (error) {
		if ((error as {statusCode?: number}).statusCode !== 404) {
			throw new UserError(`${daemonPath}: ${unreachableReason(error)}`);
		}
		const names = (await connection.client.docker.listContainers({all: true})).map((c) => c.Names[0]?.replace(/^\//, ''));
		const near = names.filter((candidate) => candidate?.includes(name) || name.includes(candidate ?? '\u0000'));
		throw new UserError(
			`no container "${name}" on ${daemonPath}${near.length ? ` (did you mean ${near.join(', ')}?)` : names.length ? ` (it has ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''})` : ' (it has no containers)'}`,
			2,
		);
	}
}

/** The daemon at a path ("default", "default/dind-b", ...), connected. `asked` names the whole path in messages. */
export async function resolveDaemon(path: string, options: PathOptions, asked = path): Promise<ResolvedDaemon> {
	const parts = splitPath(path, options.endpoints);
	const endpoint = options.endpoints.find((candidate) => candidate.name === parts[0])!;
	const root: Connection = {
		client: clientForTransport(endpoint.transport, options.timeoutMs),
		...(endpoint.transport.kind === 'unix' ? {procRoot: hostProcRoot} : {}),
	};
	const opened: Connection[] = [root];
	try {
		await root.client.docker.ping().catch((error: unknown) => {
			throw new UserError(`cannot reach the Docker daemon at ${endpoint.url} (${endpoint.source}): ${unreachableReason(error)}`);
		});
		let connection = root;
		let daemonPath = parts[0]!;
		for (const [index, name] of parts.slice(1).entries()) {
			if (index + 1 > options.maxDepth) {
				throw new UserError(`${asked}: deeper than --depth ${options.maxDepth}`, 2);
			}
			const container = await findContainer(connection, daemonPath, name);
			const kind = classifyContainer({
				image: container.Config.Image,
				argv: [container.Path, ...container.Args],
				env: container.Config.Env ?? [],
				mounts: (container.Mounts ?? []).map((m) => ({type: m.Type, source: m.Source, destination: m.Destination, rw: m.RW})),
				ports: Object.keys(container.Config.ExposedPorts ?? {}).map((spec) => Number(spec.split('/')[0])),
				...(container.HostConfig.Runtime ? {runtime: container.HostConfig.Runtime} : {}),
				labels: container.Config.Labels ?? {},
			}).kind;
			if (kind === 'plain' || kind === 'socket' || kind === 'client') {
				throw new UserError(`${daemonPath}/${name} is a ${kind} container, not a daemon: nothing below it in ${asked}`, 2);
			}
			if (!container.State.Running) throw new UserError(`${daemonPath}/${name} is ${container.State.Status}: its daemon is not running`);
			const next = connectInner(
				connection,
				{id: container.Id, pid: container.State.Pid},
				{
					tunnelRoute: `exec tunnel via ${daemonPath}/${name}`,
					timeoutMs: options.timeoutMs,
					...(options.tunnelsOnly ? {tunnelsOnly: true} : {}),
				},
			);
			opened.push(next);
			daemonPath = `${daemonPath}/${name}`;
			await next.client.docker.ping().catch((error: unknown) => {
				throw new UserError(`${daemonPath}: ${unreachableReason(error)}`);
			});
			connection = next;
		}
		return {path: daemonPath, connection, opened};
	} catch (error) {
		closeAll(opened);
		throw error;
	}
}

/** The container at a path ("default/dind-b/dind-b1/inner-c1") and the daemon that runs it. */
export async function resolveContainer(path: string, options: PathOptions): Promise<ResolvedContainer> {
	const parts = splitPath(path, options.endpoints);
	if (parts.length < 2) throw new UserError(`"${path}" names a daemon; a container path is needed (e.g. ${parts[0]}/NAME)`, 2);
	const name = parts.at(-1)!;
	const daemon = await resolveDaemon(parts.slice(0, -1).join('/'), options, parts.join('/'));
	try {
		const container = await findContainer(daemon.connection, daemon.path, name);
		return {...daemon, container, containerPath: `${daemon.path}/${name}`};
	} catch (error) {
		closeAll(daemon.opened);
		throw error;
	}
}
