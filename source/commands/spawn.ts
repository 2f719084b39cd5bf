import {closeAll, resolveDaemon, type PathOptions} from '../daemon/container-path.js';
import {connectInner, type Connection} from '../daemon/inner-route.js';
import type {SandboxMode} from '../daemon/labels.js';
import {copyImage} from '../daemon/image-copy.js';
import {swarmLabel} from '../daemon/labels.js';
import {daemonSocketFor, defaultName, spawnSandbox} from '../daemon/sandbox-containers.js';
import {formSwarm, type SwarmLabNode} from '../daemon/swarm-lab.js';
import {unreachableReason} from '../daemon/reasons.js';
import {oneLine, UserError} from '../errors.js';

export interface SpawnCommand extends PathOptions {
	mode: SandboxMode;
	on?: string;
	name?: string;
	image?: string;
	tls: boolean;
	/** How long to wait for the inner daemon. */
	readyTimeoutMs?: number;
}

/** `dockerception spawn`: create a sandbox and print its path once it is usable. */
export async function runSpawn(command: SpawnCommand): Promise<number> {
	const daemon = await resolveDaemon(command.on ?? command.endpoints[0]!.name, command);
	try {
		const client = daemon.connection.client;
		const socket = daemonSocketFor(daemon.path, command.endpoints);
		const result = await spawnSandbox(client, {
			mode: command.mode,
			...(command.name !== undefined ? {name: command.name} : {}),
			...(command.image ? {image: command.image} : {}),
			...(socket ? {daemonSocket: socket} : {}),
			tls: command.tls,
		});
		const path = `${daemon.path}/${result.name}`;
		if (result.mode !== 'socket') {
			daemon.opened.push(await waitForSandboxDaemon(daemon.connection, path, result.id, command));
		}
		process.stderr.write(
			`dockerception: ${result.mode} sandbox ${path} from ${result.image}${result.profile ? ` (${result.profile === 'explicit-caps' ? 'explicit capabilities: this engine refuses --privileged' : result.profile})` : ''}\n`,
		);
		process.stdout.write(`${path}\n`);
		return 0;
	} finally {
		closeAll(daemon.opened);
	}
}

export interface SwarmSpawnCommand extends Omit<SpawnCommand, 'mode'> {
	nodes: number;
	/** Images copied from the parent daemon into every node (nothing can be pulled offline). */
	copy: string[];
}

/**
 * `dockerception spawn --mode swarm --nodes N`: N DinD sandboxes, the first the manager, the
 * rest workers, joined. A lab that could not be made whole is removed again.
 */
export async function runSpawnSwarm(command: SwarmSpawnCommand): Promise<number> {
	if (!Number.isInteger(command.nodes) || command.nodes < 1 || command.nodes > 9) throw new UserError(`--nodes ${command.nodes}: expected 1 to 9`, 2);
	const daemon = await resolveDaemon(command.on ?? command.endpoints[0]!.name, command);
	const client = daemon.connection.client;
	const name = command.name ?? defaultName('swarm');
	const created: string[] = [];
	try {
		const nodes: SwarmLabNode[] = [];
		for (let index = 1; index <= command.nodes; index++) {
			const result = await spawnSandbox(client, {
				mode: 'dind',
				name: `${name}-${index}`,
				...(command.image ? {image: command.image} : {}),
				tls: command.tls,
				labels: {[swarmLabel]: name},
				// Offline, a task would first try the registry for its image: use the node's own copy.
				env: ['DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1'],
			});
			created.push(result.id);
			nodes.push({path: `${daemon.path}/${result.name}`, containerId: result.id, connection: daemon.connection});
		}
		for (const node of nodes) {
			node.connection = await waitForSandboxDaemon(daemon.connection, node.path, node.containerId, command);
			daemon.opened.push(node.connection);
		}
		for (const image of command.copy) {
			for (const node of nodes) {
				await copyImage(client, node.connection.client, image).catch((error: unknown) => {
					throw new UserError(`copying ${image} into ${node.path}: ${oneLine(error)}`);
				});
			}
		}
		const clusterId = await formSwarm(client, daemon.path, nodes);
		const [manager, ...workers] = nodes;
		process.stderr.write(
			`dockerception: swarm ${clusterId} on ${daemon.path}: manager ${manager!.path}${workers.length ? `, worker${workers.length === 1 ? '' : 's'} ${workers.map((node) => node.path).join(', ')}` : ''}\n`,
		);
		for (const node of nodes) process.stdout.write(`${node.path}\n`);
		return 0;
	} catch (error) {
		for (const id of created)
			await client.slow
				.getContainer(id)
				.remove({force: true, v: true})
				.catch(() => {});
		throw error;
	} finally {
		closeAll(daemon.opened);
	}
}

/**
 * Reach the daemon inside a new sandbox and wait until it answers. A sandbox whose daemon
 * never comes up (it exited, or stays silent past the deadline) is removed, with its last log lines.
 */
export async function waitForSandboxDaemon(
	parent: Connection,
	path: string,
	id: string,
	options: {timeoutMs: number; tunnelsOnly?: boolean; readyTimeoutMs?: number},
): Promise<Connection> {
	const client = parent.client;
	const info = await client.docker.getContainer(id).inspect();
	const inner = connectInner(
		parent,
		{id, pid: info.State.Pid},
		{tunnelRoute: `exec tunnel via ${path}`, timeoutMs: options.timeoutMs, ...(options.tunnelsOnly ? {tunnelsOnly: true} : {})},
	);
	const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
	let last: unknown;
	for (;;) {
		try {
			await inner.client.docker.ping();
			return inner;
		} catch (error) {
			last = error;
		}
		const state = await client.docker
			.getContainer(id)
			.inspect()
			.catch(() => undefined);
		if (!state?.State.Running || Date.now() > deadline) {
			inner.client.close();
			const logs = await client.docker
				.getContainer(id)
				.logs({stdout: true, stderr: true, tail: 5})
				.then((buffer) =>
					String(buffer)
						.replace(/[\u0000-\u0008]/g, '')
						.trim()
						.split('\n')
						.slice(-3)
						.join(' | '),
				)
				.catch(() => '');
			await client.docker
				.getContainer(id)
				.remove({force: true, v: true})
				.catch(() => {});
			const why = !state?.State.Running ? `exited (${state?.State.ExitCode ?? '?'})` : `no answer: ${unreachableReason(last)}`;
			throw new UserError(`${path}: the daemon inside did not come up (${why}); removed it. Last log lines: ${logs || 'none'}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}
