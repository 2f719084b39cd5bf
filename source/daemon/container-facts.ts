import type Docker from 'dockerode';
import {containerKey, type ContainerNode, type ContainerState, type DaemonFacts, type MountPoint, type PortBinding} from '../store/model.js';
import {classifyContainer} from './classify.js';

/** Turn Docker API answers into model nodes: the only place that knows their field names. */

const containerStates = new Set<ContainerState>(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']);

function asState(value: string | undefined): ContainerState {
	return containerStates.has(value as ContainerState) ? (value as ContainerState) : 'dead';
}

function mountsOf(mounts: Array<{Type?: string; Source?: string; Destination?: string; RW?: boolean}> | undefined): MountPoint[] {
	return (mounts ?? []).map((mount) => ({
		type: mount.Type ?? 'bind',
		source: mount.Source ?? '',
		destination: mount.Destination ?? '',
		rw: mount.RW !== false,
	}));
}

export function containerFromSummary(daemonPath: string, summary: Docker.ContainerInfo): ContainerNode {
	const name = (summary.Names?.[0] ?? summary.Id.slice(0, 12)).replace(/^\//, '');
	const ports: PortBinding[] = (summary.Ports ?? []).map((port) => ({
		privatePort: port.PrivatePort,
		type: port.Type,
		...(port.PublicPort ? {publicPort: port.PublicPort} : {}),
		...(port.IP ? {ip: port.IP} : {}),
	}));
	const mounts = mountsOf(summary.Mounts as Parameters<typeof mountsOf>[0]);
	const labels = summary.Labels ?? {};
	const {kind, signals} = classifyContainer({
		image: summary.Image,
		argv: (summary.Command ?? '').split(/\s+/).filter(Boolean),
		mounts,
		ports: ports.map((port) => port.privatePort),
		labels,
	});
	return {
		key: containerKey(daemonPath, summary.Id),
		daemonPath,
		id: summary.Id,
		name,
		image: summary.Image,
		command: summary.Command ?? '',
		created: summary.Created,
		state: asState(summary.State),
		status: summary.Status ?? '',
		kind,
		signals,
		ports: dedupePorts(ports),
		mounts,
		labels,
	};
}

/** Refine a listed container with inspect data: runtime, privileged, env and the exact argv. */
export function withInspect(node: ContainerNode, inspect: Docker.ContainerInspectInfo): ContainerNode {
	const exposed = Object.keys(inspect.Config?.ExposedPorts ?? {}).map((spec) => Number(spec.split('/')[0]));
	const env = inspect.Config?.Env ?? [];
	const runtime = inspect.HostConfig?.Runtime;
	const mounts = mountsOf(inspect.Mounts as Parameters<typeof mountsOf>[0]);
	const {kind, signals} = classifyContainer({
		image: inspect.Config?.Image || node.image,
		argv: [inspect.Path, ...(inspect.Args ?? [])].filter(Boolean),
		env,
		mounts,
		ports: [...new Set([...node.ports.map((port) => port.privatePort), ...exposed])],
		...(runtime ? {runtime} : {}),
		labels: inspect.Config?.Labels ?? node.labels,
	});
	const state = inspect.State?.Paused ? 'paused' : asState(inspect.State?.Status);
	return {
		...node,
		name: inspect.Name?.replace(/^\//, '') || node.name,
		state,
		kind,
		signals,
		mounts,
		privileged: inspect.HostConfig?.Privileged === true,
		cgroupns: (inspect.HostConfig as {CgroupnsMode?: string} | undefined)?.CgroupnsMode ?? '',
		networks: Object.entries(inspect.NetworkSettings?.Networks ?? {}).map(([name, network]) => {
			const dns = (network as {DNSNames?: string[]}).DNSNames ?? [];
			return {name, aliases: [...new Set([...(network.Aliases ?? []), ...dns])], ip: network.IPAddress ?? ''};
		}),
		runtime: runtime || 'runc',
		env,
		...(inspect.State?.Pid ? {pid: inspect.State.Pid} : {}),
		...(inspect.State?.StartedAt && !inspect.State.StartedAt.startsWith('0001') ? {startedAt: inspect.State.StartedAt} : {}),
	};
}

function dedupePorts(ports: PortBinding[]): PortBinding[] {
	// Docker lists a published port once per address family (0.0.0.0 and ::).
	const seen = new Set<string>();
	return ports.filter((port) => {
		const id = `${port.privatePort}/${port.type}/${port.publicPort ?? ''}`;
		if (seen.has(id)) return false;
		seen.add(id);
		return true;
	});
}

/** The parts of GET /info read here (dockerode types it as any). */
export interface DockerInfo {
	ID: string;
	Name: string;
	ServerVersion?: string;
	OperatingSystem: string;
	KernelVersion: string;
	Driver: string;
	CgroupDriver: string;
	CgroupVersion?: string;
	Swarm?: {LocalNodeState?: string; ControlAvailable?: boolean; NodeID?: string; Cluster?: {ID?: string}};
	Runtimes?: Record<string, unknown>;
	DefaultRuntime?: string;
	SecurityOptions?: string[];
	NCPU: number;
	MemTotal: number;
	Containers: number;
	Images: number;
	SystemTime?: string;
}

export function daemonFactsFrom(info: DockerInfo, version: Docker.DockerVersion): DaemonFacts {
	const extra = info;
	const swarm = info.Swarm?.LocalNodeState || 'inactive';
	return {
		id: info.ID,
		name: info.Name,
		serverVersion: info.ServerVersion || version.Version,
		apiVersion: version.ApiVersion,
		os: info.OperatingSystem,
		kernelVersion: info.KernelVersion,
		storageDriver: info.Driver,
		cgroupDriver: info.CgroupDriver,
		cgroupVersion: extra.CgroupVersion ?? '',
		swarm: swarm === 'active' ? (info.Swarm?.ControlAvailable ? 'manager' : 'worker') : swarm,
		...(info.Swarm?.NodeID
			? {
					swarmNode: {
						nodeId: info.Swarm.NodeID,
						...(info.Swarm.Cluster?.ID ? {clusterId: info.Swarm.Cluster.ID} : {}),
						role: info.Swarm.ControlAvailable ? ('manager' as const) : ('worker' as const),
						state: swarm,
					},
				}
			: {}),
		runtimes: Object.keys(extra.Runtimes ?? {}).sort(),
		defaultRuntime: info.DefaultRuntime || 'runc',
		securityOptions: info.SecurityOptions ?? [],
		cpus: info.NCPU,
		memTotal: info.MemTotal,
		containers: info.Containers,
		images: info.Images,
	};
}
