import type {ContainerNode, DaemonNode, PortBinding, TreeState} from '../store/model.js';

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
	route: string;
	insecure: boolean;
	status: DaemonNode['status'];
	error?: string;
	sharesDaemon?: string;
	/** What was left out and why (a daemon listing more containers than are kept, an event flood). */
	notices?: string[];
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

export function snapshot(tree: TreeState): {roots: JsonDaemon[]} {
	return {roots: tree.roots.map((path) => daemonJson(tree, path)).filter((d): d is JsonDaemon => d !== undefined)};
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
		route: daemon.route,
		insecure: daemon.insecure === true,
		status: daemon.status,
		...(daemon.error ? {error: daemon.error} : {}),
		...(daemon.sharesDaemon ? {sharesDaemon: daemon.sharesDaemon} : {}),
		...(daemon.notices ? {notices: daemon.notices} : {}),
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
