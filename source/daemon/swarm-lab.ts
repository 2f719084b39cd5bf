import {oneLine, UserError} from '../errors.js';
import type {DaemonClient} from './client.js';
import type {Connection} from './inner-route.js';
import {swarmIdPattern} from './answer-shapes.js';
import {copyImage} from './image-copy.js';
import {swarmLabel} from './labels.js';
import {unreachableReason} from './reasons.js';
import {defaultName, spawnSandbox} from './sandbox-containers.js';
import {waitForSandboxDaemon} from './sandbox-ready.js';

/**
 * A swarm lab from DinD sandboxes: the first node inits the swarm, the others join it as
 * workers, each advertising its address on the parent daemon's network (nodes reach each
 * other there, as `docker swarm join` in each DinD would).
 */

export interface SwarmLabNode {
	path: string;
	containerId: string;
	/** The daemon inside the node. */
	connection: Connection;
}

/** Swarm's own port for managers and joins. */
const swarmPort = 2377;

/** The node's address on the parent daemon's network (the first network that gave it one). */
async function nodeAddress(parent: DaemonClient, node: SwarmLabNode): Promise<string> {
	const info = await parent.docker.getContainer(node.containerId).inspect();
	const networks = Object.values(info.NetworkSettings?.Networks ?? {});
	const address = networks.map((network) => network.IPAddress).find(Boolean);
	if (!address) throw new UserError(`${node.path} has no network address on its daemon: a swarm node must be reachable by the others`);
	return address;
}

/** Make the first node the manager and join the rest as workers; returns the cluster ID. */
export async function formSwarm(parent: DaemonClient, parentPath: string, nodes: SwarmLabNode[]): Promise<string> {
	const [manager, ...workers] = nodes;
	if (!manager) throw new UserError('a swarm needs at least one node', 2);
	const managerAddress = await nodeAddress(parent, manager);
	await manager.connection.client.slow.swarmInit({ListenAddr: `0.0.0.0:${swarmPort}`, AdvertiseAddr: managerAddress});
	const swarm = (await manager.connection.client.docker.swarmInspect()) as {ID?: string; JoinTokens?: {Worker?: string}};
	const token = swarm.JoinTokens?.Worker;
	if (!swarm.ID || !swarmIdPattern.test(swarm.ID) || !token) throw new UserError(`${manager.path}: the new swarm gave no cluster ID or join token`);
	for (const worker of workers) {
		const address = await nodeAddress(parent, worker);
		try {
			await worker.connection.client.slow.swarmJoin({
				ListenAddr: `0.0.0.0:${swarmPort}`,
				AdvertiseAddr: address,
				RemoteAddrs: [`${managerAddress}:${swarmPort}`],
				JoinToken: token,
			});
		} catch (error) {
			// The daemon's own words when it answered ("Timeout was reached before node joined").
			const said = (error as {json?: {message?: unknown}}).json?.message;
			const reason = typeof said === 'string' ? said.replace(/\. .*$/, '') : unreachableReason(error);
			throw new UserError(
				oneLine(
					`${worker.path} could not join the swarm at ${managerAddress}:${swarmPort} (${reason}): containers on ${parentPath} ` +
						`cannot reach each other. A host firewall that drops forwarded traffic (FORWARD DROP without Docker's own rules) does that; ` +
						`spawn the swarm inside a DinD sandbox instead (--on PATH)`,
				),
			);
		}
	}
	return swarm.ID;
}

/** Why a swarm lab cannot have that many nodes (as typed), or undefined when it can. */
export function nodeCountProblem(nodes: string): string | undefined {
	return /^[1-9]$/.test(nodes) ? undefined : 'expected 1 to 9';
}

export interface SwarmLabSpec {
	nodes: number;
	/** Nodes are NAME-1 … NAME-N (default swarm-xxxx). */
	name?: string;
	image?: string;
	/** Images copied from the parent daemon into every node (nothing can be pulled offline). */
	copy?: string[];
	tls?: boolean;
	timeoutMs: number;
	tunnelsOnly?: boolean;
	/** Step messages for a progress display. */
	progress?: (step: string) => void;
}

export interface SwarmLab {
	clusterId: string;
	/** Node paths, the manager first. */
	nodes: string[];
}

/**
 * N DinD sandboxes on `parent`, the first the manager, the rest workers, joined. A lab that
 * could not be made whole is removed again (it was all made here).
 */
export async function makeSwarmLab(parent: Connection, parentPath: string, spec: SwarmLabSpec): Promise<SwarmLab> {
	const problem = nodeCountProblem(String(spec.nodes));
	if (problem) throw new UserError(`--nodes ${spec.nodes}: ${problem}`, 2);
	const client = parent.client;
	const name = spec.name ?? defaultName('swarm');
	const created: string[] = [];
	const opened: Connection[] = [];
	try {
		const nodes: SwarmLabNode[] = [];
		for (let index = 1; index <= spec.nodes; index++) {
			spec.progress?.(`creating node ${index} of ${spec.nodes}`);
			const result = await spawnSandbox(client, {
				mode: 'dind',
				name: `${name}-${index}`,
				...(spec.image ? {image: spec.image} : {}),
				...(spec.tls !== undefined ? {tls: spec.tls} : {}),
				labels: {[swarmLabel]: name},
				// Offline, a task would first try the registry for its image: use the node's own copy.
				env: ['DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1'],
			});
			created.push(result.id);
			nodes.push({path: `${parentPath}/${result.name}`, containerId: result.id, connection: parent});
		}
		for (const node of nodes) {
			spec.progress?.(`waiting for the daemon inside ${node.path}`);
			node.connection = await waitForSandboxDaemon(parent, node.path, node.containerId, spec);
			opened.push(node.connection);
		}
		for (const image of spec.copy ?? []) {
			for (const node of nodes) {
				spec.progress?.(`copying ${image} into ${node.path}`);
				await copyImage(client, node.connection.client, image).catch((error: unknown) => {
					throw new UserError(`copying ${image} into ${node.path}: ${oneLine(error)}`);
				});
			}
		}
		spec.progress?.('forming the swarm');
		const clusterId = await formSwarm(client, parentPath, nodes);
		return {clusterId, nodes: nodes.map((node) => node.path)};
	} catch (error) {
		for (const id of created)
			await client.slow
				.getContainer(id)
				.remove({force: true, v: true})
				.catch(() => {});
		throw error;
	} finally {
		for (const connection of opened) connection.client.close();
	}
}

export function swarmLabSummary(parentPath: string, lab: SwarmLab): string {
	const [manager, ...workers] = lab.nodes;
	const rest = workers.length ? `, worker${workers.length === 1 ? '' : 's'} ${workers.join(', ')}` : '';
	return `swarm ${lab.clusterId} on ${parentPath}: manager ${manager}${rest}`;
}
