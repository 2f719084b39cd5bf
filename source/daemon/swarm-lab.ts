import {oneLine, UserError} from '../errors.js';
import type {DaemonClient} from './client.js';
import type {Connection} from './inner-route.js';
import {unreachableReason} from './reasons.js';

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
	if (!swarm.ID || !token) throw new UserError(`${manager.path}: the new swarm gave no cluster ID or join token`);
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
