/**
 * The tree model: plain data only (no dockerode objects), so it can be rendered, printed as
 * JSON, captured into fixtures and compared in tests.
 */

/** client: a container whose DOCKER_HOST points a Docker client at some daemon. */
export type ContainerKind = 'dind' | 'sysbox' | 'socket' | 'client' | 'plain';
export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
export type DaemonStatus = 'connecting' | 'ready' | 'unreachable';

export interface PortBinding {
	privatePort: number;
	publicPort?: number;
	ip?: string;
	type: string;
}

export interface MountPoint {
	type: string;
	source: string;
	destination: string;
	rw: boolean;
}

/** What `docker info` says of a daemon, kept for the details panel and the tree rows. */
export interface DaemonFacts {
	id: string;
	name: string;
	serverVersion: string;
	apiVersion: string;
	os: string;
	kernelVersion: string;
	storageDriver: string;
	cgroupDriver: string;
	cgroupVersion: string;
	swarm: string;
	/** This daemon as a swarm node, when it is in one. */
	swarmNode?: SwarmMembership;
	/** Its networks: MTU (1500 unless set) and subnets, for the health checks. */
	networks?: DaemonNetwork[];
	/** Its disk use (/system/df), once read: it walks every container's files, so not at start-up. */
	storage?: DaemonStorage;
	runtimes: string[];
	defaultRuntime: string;
	securityOptions: string[];
	cpus: number;
	memTotal: number;
	containers: number;
	images: number;
}

/** Bytes a daemon keeps, by kind, and its images (the first 512 listed) for the duplicates check. */
export interface DaemonStorage {
	/** Image layers, each shared layer counted once. */
	layers: number;
	/** The containers' writable layers. */
	containers: number;
	volumes: number;
	/** Build cache records not shared with images. */
	buildCache: number;
	images: Array<{id: string; size: number; tag: string}>;
}

export interface DaemonNode {
	/** Names from the root: "default", "default/dind-b", "default/dind-b/dind-b1". */
	path: string;
	/** 0 for a root daemon. */
	depth: number;
	/** The container this daemon runs in (its key), absent for roots. */
	parentContainer?: string;
	/** How it is reached: "unix socket /var/run/docker.sock", "exec tunnel via default/dind-b". */
	route: string;
	/** Reached over plain tcp: anyone on that network is root on it. */
	insecure?: boolean;
	status: DaemonStatus;
	/** Why it is unreachable, in words a user can act on. */
	error?: string;
	facts?: DaemonFacts;
	/** Keys of its containers, sorted by name. */
	containers: string[];
	/** Set when this root turned out to be a daemon already shown elsewhere. */
	sharesDaemon?: string;
	/** What was left out of its picture and why ("showing 2000 of 100000 containers"). */
	notices?: string[];
	/** The unix socket dockerception serves this daemon on (`f`), while it does. */
	forward?: string;
}

export interface ContainerNode {
	/** Stable id: the daemon path and the container id. */
	key: string;
	daemonPath: string;
	id: string;
	name: string;
	image: string;
	command: string;
	/** Unix seconds. */
	created: number;
	state: ContainerState;
	/** Docker's own status text when it was listed: "Up 5 minutes", "Exited (0) 2 hours ago". */
	status: string;
	/** ISO time the current run started (from inspect), for uptimes that stay current. */
	startedAt?: string;
	kind: ContainerKind;
	/** The signals that decided the kind, shown in the details panel. */
	signals: string[];
	ports: PortBinding[];
	mounts: MountPoint[];
	labels: Record<string, string>;
	/** Known once the container was inspected. */
	privileged?: boolean;
	/** Its cgroup namespace (HostConfig.CgroupnsMode): "host", "private", or "" when not said. */
	cgroupns?: string;
	runtime?: string;
	env?: string[];
	/** Main process PID as the daemon sees it (inspect State.Pid), while it runs. */
	pid?: number;
	/** Path of the daemon inside this container (DinD / sysbox, or a socket reaching another daemon). */
	innerDaemon?: string;
	/** Path of the daemon this container shares (a socket container reaches its parent). */
	sharesDaemon?: string;
	/** Socket mounted from somewhere that is not a daemon dockerception knows. */
	socketSource?: string;
	/** Networks it is on (from inspect): how clients on them name it. */
	networks?: NetworkMembership[];
	/** A client's daemon: the path it really reaches, or why that is not known. */
	clientOf?: string;
	clientProblem?: string;
}

export interface NetworkMembership {
	name: string;
	/** Names it answers to on that network: aliases (a compose service name among them). */
	aliases: string[];
	ip: string;
}

export interface DaemonNetwork {
	name: string;
	mtu: number;
	subnets: string[];
}

/** What a daemon's own /info says of its swarm membership. */
export interface SwarmMembership {
	nodeId: string;
	/** Only managers know it; a worker's comes from the cluster that lists its node. */
	clusterId?: string;
	role: 'manager' | 'worker';
	/** LocalNodeState: active, pending, error, locked. */
	state: string;
}

/** A swarm as one of its managers sees it (/nodes, /services, /tasks). */
export interface SwarmCluster {
	clusterId: string;
	/** The manager daemon this picture was read from. */
	reportedBy: string;
	nodes: SwarmNodeInfo[];
	services: SwarmServiceInfo[];
}

export interface SwarmNodeInfo {
	id: string;
	hostname: string;
	role: string;
	/** ready, down, unknown, disconnected. */
	state: string;
	/** active, pause, drain. */
	availability: string;
	leader: boolean;
	addr: string;
}

export interface SwarmServiceInfo {
	id: string;
	name: string;
	/** replicated, global (or a job mode). */
	mode: string;
	/** Wanted replicas (replicated mode). */
	replicas?: number;
	tasks: SwarmTaskInfo[];
}

export interface SwarmTaskInfo {
	id: string;
	slot?: number;
	nodeId: string;
	containerId?: string;
	state: string;
	desiredState: string;
}

export interface TreeState {
	roots: string[];
	daemons: Record<string, DaemonNode>;
	containers: Record<string, ContainerNode>;
	/** Swarm clusters by the manager daemon that reported them (several may report one cluster). */
	swarms?: Record<string, SwarmCluster>;
}

export const emptyTree: TreeState = {roots: [], daemons: {}, containers: {}};

export function containerKey(daemonPath: string, id: string): string {
	return `${daemonPath}#${id}`;
}

export function childPath(daemonPath: string, containerName: string): string {
	return `${daemonPath}/${containerName}`;
}
