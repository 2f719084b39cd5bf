import type {ContainerNode, DaemonNode, PortBinding, TreeState} from '../store/model.js';
import {swarmNodeOf, swarmViews} from '../store/swarm-view.js';
import {healthOf, type HealthFinding} from '../store/health.js';

/** The `--json` schema (documented in readme.md). */
export interface JsonDaemon {
	path: string;
	id: string | null;
	name: string | null;
	serverVersion: string | null;
	apiVersion: string | null;
	os: string | null;
	kernelVersion: string | null;
	storageDriver: string | null;
	swarm: string | null;
	/** This daemon as a swarm node (null when it is in no swarm). */
	swarmNode: {clusterId: string | null; nodeId: string; role: string; state: string; leader: boolean} | null;
	route: string;
	insecure: boolean;
	status: DaemonNode['status'];
	error?: string;
	sharesDaemon?: string;
	/** What was left out and why (a daemon listing more containers than are kept, an event flood). */
	notices?: string[];
	/** What is wrong with it, why, and the fix (how its container is made: whatever its status). */
	health: HealthFinding[];
	containers: JsonContainer[];
}

export interface JsonContainer {
	id: string;
	name: string;
	image: string;
	command: string;
	state: ContainerNode['state'];
	status: string;
	kind: ContainerNode['kind'];
	privileged: boolean | null;
	runtime: string | null;
	ports: PortBinding[];
	labels: Record<string, string>;
	daemon?: JsonDaemon;
	sharesDaemon?: string;
	socketSource?: string;
	/** A client container: the daemon its DOCKER_HOST reaches, or why that is not known. */
	clientOf?: string;
	clientProblem?: string;
}

export interface JsonSwarm {
	clusterId: string;
	managers: string[];
	workers: string[];
	leader: string | null;
	nodes: Array<{nodeId: string; hostname: string; role: string; state: string; availability: string; leader: boolean; path: string | null}>;
	services: Array<{
		name: string;
		mode: string;
		replicas: number | null;
		running: number;
		tasks: Array<{name: string; container: string | null; node: string | null; state: string; desiredState: string}>;
	}>;
}

export function snapshot(tree: TreeState): {roots: JsonDaemon[]; swarms: JsonSwarm[]} {
	return {
		roots: tree.roots.map((path) => daemonJson(tree, path)).filter((d): d is JsonDaemon => d !== undefined),
		swarms: swarmViews(tree).map((view) => ({
			clusterId: view.clusterId,
			managers: view.managers,
			workers: view.workers,
			leader: view.leader ?? null,
			nodes: view.nodes.map(({path, ...node}) => ({...node, path: path ?? null})),
			services: view.services.map((service) => ({
				...service,
				tasks: service.tasks.map((task) => ({
					name: task.name,
					container: task.container ?? null,
					node: task.node ?? null,
					state: task.state,
					desiredState: task.desiredState,
				})),
			})),
		})),
	};
}

function daemonJson(tree: TreeState, path: string): JsonDaemon | undefined {
	const daemon = tree.daemons[path];
	if (!daemon) return undefined;
	const facts = daemon.facts;
	return {
		path,
		id: facts?.id ?? null,
		name: facts?.name ?? null,
		serverVersion: facts?.serverVersion ?? null,
		apiVersion: facts?.apiVersion ?? null,
		os: facts?.os ?? null,
		kernelVersion: facts?.kernelVersion ?? null,
		storageDriver: facts?.storageDriver ?? null,
		swarm: facts?.swarm ?? null,
		swarmNode: swarmNodeOf(tree, path) ?? null,
		route: daemon.route,
		insecure: daemon.insecure === true,
		status: daemon.status,
		...(daemon.error ? {error: daemon.error} : {}),
		...(daemon.sharesDaemon ? {sharesDaemon: daemon.sharesDaemon} : {}),
		...(daemon.notices ? {notices: daemon.notices} : {}),
		health: healthOf(tree, path),
		containers: daemon.containers
			.map((key) => tree.containers[key])
			.filter((c): c is ContainerNode => c !== undefined)
			.map((container) => containerJson(tree, container)),
	};
}

function containerJson(tree: TreeState, container: ContainerNode): JsonContainer {
	const inner = container.innerDaemon ? daemonJson(tree, container.innerDaemon) : undefined;
	return {
		id: container.id,
		name: container.name,
		image: container.image,
		command: container.command,
		state: container.state,
		status: container.status,
		kind: container.kind,
		privileged: container.privileged ?? null,
		runtime: container.runtime ?? null,
		ports: container.ports,
		labels: container.labels,
		...(inner ? {daemon: inner} : {}),
		...(container.sharesDaemon ? {sharesDaemon: container.sharesDaemon} : {}),
		...(container.socketSource && !container.sharesDaemon ? {socketSource: container.socketSource} : {}),
		...(container.clientOf ? {clientOf: container.clientOf} : {}),
		...(container.clientProblem && !container.clientOf ? {clientProblem: container.clientProblem} : {}),
	};
}
