import {childPath, type DaemonNode, type SwarmCluster, type TreeState} from './model.js';

/**
 * Swarm clusters joined to the tree: each node is matched to the daemon that says it is that
 * node (its /info NodeID), each task's container to that daemon's container. Every node's
 * daemon is reachable to dockerception, so a task is shown where it really runs.
 */

export interface SwarmNodeView {
	nodeId: string;
	hostname: string;
	role: string;
	state: string;
	availability: string;
	leader: boolean;
	/** The daemon that is this node, when it is in the tree. */
	path?: string;
}

export interface SwarmTaskView {
	/** "web.2" (replicated) or "web.<node>" (global), as `docker service ps` names them. */
	name: string;
	state: string;
	desiredState: string;
	nodeId: string;
	/** The node's daemon and the task's container on it, when they are in the tree. */
	node?: string;
	container?: string;
}

export interface SwarmServiceView {
	name: string;
	mode: string;
	replicas: number | null;
	running: number;
	tasks: SwarmTaskView[];
}

export interface SwarmView {
	clusterId: string;
	managers: string[];
	workers: string[];
	leader?: string;
	nodes: SwarmNodeView[];
	services: SwarmServiceView[];
}

/**
 * Daemons by the swarm node ID they report (ready ones). An ID that two daemons claim names
 * neither: a daemon in a container must not take another's place in a cluster.
 */
function daemonsByNode(tree: TreeState): Map<string, DaemonNode> {
	const byNode = new Map<string, DaemonNode | undefined>();
	for (const daemon of Object.values(tree.daemons)) {
		const nodeId = daemon.facts?.swarmNode?.nodeId;
		if (!nodeId || daemon.status !== 'ready' || daemon.sharesDaemon) continue;
		byNode.set(nodeId, byNode.has(nodeId) ? undefined : daemon);
	}
	return new Map([...byNode].filter((entry): entry is [string, DaemonNode] => entry[1] !== undefined));
}

/** One report per cluster: the outermost manager's (a daemon nested deeper cannot override it). */
function clusters(tree: TreeState): SwarmCluster[] {
	const chosen = new Map<string, SwarmCluster>();
	const depth = (path: string) => path.split('/').length;
	const reports = Object.values(tree.swarms ?? {}).sort((a, b) => depth(a.reportedBy) - depth(b.reportedBy) || a.reportedBy.localeCompare(b.reportedBy));
	for (const cluster of reports) if (!chosen.has(cluster.clusterId)) chosen.set(cluster.clusterId, cluster);
	return [...chosen.values()];
}

export function swarmViews(tree: TreeState): SwarmView[] {
	const found = clusters(tree);
	if (found.length === 0) return [];
	const byNode = daemonsByNode(tree);
	return found.sort((a, b) => a.clusterId.localeCompare(b.clusterId)).map((cluster) => clusterView(tree, cluster, byNode));
}

function clusterView(tree: TreeState, cluster: SwarmCluster, byNode: Map<string, DaemonNode>): SwarmView {
	const nodes: SwarmNodeView[] = cluster.nodes
		.map((node) => {
			const daemon = byNode.get(node.id);
			return {
				nodeId: node.id,
				hostname: node.hostname,
				role: node.role,
				state: node.state,
				availability: node.availability,
				leader: node.leader,
				...(daemon ? {path: daemon.path} : {}),
			};
		})
		.sort((a, b) => (a.path ?? `~${a.hostname}`).localeCompare(b.path ?? `~${b.hostname}`));
	const paths = (role: string) => nodes.filter((node) => node.role === role && node.path).map((node) => node.path!);
	const leader = nodes.find((node) => node.leader)?.path;
	const services: SwarmServiceView[] = cluster.services
		.map((service) => {
			const tasks = service.tasks
				// Tasks that ended long ago stay in /tasks as history: show what is meant to run.
				.filter((task) => task.desiredState === 'running' || task.state === 'running')
				.map((task): SwarmTaskView => {
					const daemon = byNode.get(task.nodeId);
					const container = daemon && task.containerId ? containerPathOn(tree, daemon, task.containerId) : undefined;
					const suffix = task.slot !== undefined ? String(task.slot) : (byNode.get(task.nodeId)?.path ?? task.nodeId);
					return {
						name: `${service.name}.${suffix}`,
						state: task.state,
						desiredState: task.desiredState,
						nodeId: task.nodeId,
						...(daemon ? {node: daemon.path} : {}),
						...(container ? {container} : {}),
					};
				})
				.sort((a, b) => a.name.localeCompare(b.name, undefined, {numeric: true}));
			return {
				name: service.name,
				mode: service.mode,
				replicas: service.replicas ?? null,
				running: tasks.filter((task) => task.state === 'running').length,
				tasks,
			};
		})
		.sort((a, b) => a.name.localeCompare(b.name));
	return {clusterId: cluster.clusterId, managers: paths('manager'), workers: paths('worker'), ...(leader ? {leader} : {}), nodes, services};
}

function containerPathOn(tree: TreeState, daemon: DaemonNode, containerId: string): string | undefined {
	for (const key of daemon.containers) {
		const container = tree.containers[key];
		if (container?.id === containerId) return childPath(daemon.path, container.name);
	}
	return undefined;
}

/** A daemon's swarm membership with its cluster (a worker's from the cluster listing its node). */
export function swarmNodeOf(
	tree: TreeState,
	path: string,
): {clusterId: string | null; nodeId: string; role: string; state: string; leader: boolean} | undefined {
	const member = tree.daemons[path]?.facts?.swarmNode;
	if (!member) return undefined;
	const cluster = clusters(tree).find((candidate) => candidate.nodes.some((node) => node.id === member.nodeId));
	const node = cluster?.nodes.find((candidate) => candidate.id === member.nodeId);
	return {
		clusterId: member.clusterId ?? cluster?.clusterId ?? null,
		nodeId: member.nodeId,
		role: member.role,
		state: member.state,
		leader: node?.leader === true,
	};
}

/** "swarm manager ★ 3geh8zbr" for a daemon's row: which cluster, and its part in it. */
export function swarmTag(tree: TreeState, path: string): string | undefined {
	const node = swarmNodeOf(tree, path);
	if (!node) return undefined;
	const cluster = node.clusterId ? ` ${node.clusterId.slice(0, 8)}` : '';
	const state = node.state === 'active' ? '' : ` (${node.state})`;
	return `swarm ${node.role}${node.leader ? ' ★' : ''}${cluster}${state}`;
}
