import type Docker from 'dockerode';
import type {DaemonNetwork, DaemonStorage, SwarmCluster, SwarmNodeInfo, SwarmServiceInfo} from '../store/model.js';
import type {DockerInfo} from './container-facts.js';

/**
 * A nested daemon is whoever controls its container: its answers are untrusted. Each answer
 * the tree is built from is read into the shape the code expects, field by field, before
 * anything uses it: wrong types become empty values, oversized strings and lists are cut,
 * and an answer that is not the thing asked for at all is an error with a reason.
 */

/** The answer is not what was asked for (not JSON, not a list, no ID): the daemon is not usable. */
export class MalformedAnswerError extends Error {
	readonly code = 'MALFORMED_ANSWER';
	constructor(what: string) {
		super(`malformed answer: ${what}`);
		this.name = 'MalformedAnswerError';
	}
}

/** Longer strings are cut (a real name, label or command is far shorter). */
export const maxFieldChars = 4096;
/** Longer lists are cut (env, mounts, ports, names, labels of one container). */
export const maxFieldItems = 512;

const containerIdPattern = /^[0-9a-f]{64}$/;
const apiVersionPattern = /^\d{1,2}\.\d{1,3}$/;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

function object(value: unknown): Json {
	return isObject(value) ? value : {};
}

function text(value: unknown): string {
	const string = typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
	return string.length > maxFieldChars ? `${string.slice(0, maxFieldChars - 1)}…` : string;
}

function number(value: unknown): number {
	return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function list(value: unknown): unknown[] {
	return Array.isArray(value) ? value.slice(0, maxFieldItems) : [];
}

function texts(value: unknown): string[] {
	return list(value)
		.filter((item) => typeof item === 'string')
		.map(text);
}

/** The keys of a map whose values do not matter (exposed ports, runtimes). */
function keySet(value: unknown): Record<string, object> {
	return Object.fromEntries(
		Object.keys(object(value))
			.slice(0, maxFieldItems)
			.map((key) => [text(key), {}]),
	);
}

/** A string-to-string map (labels): other values are dropped. */
function record(value: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	let count = 0;
	for (const [key, entry] of Object.entries(object(value))) {
		if (typeof entry !== 'string' || count++ >= maxFieldItems) continue;
		out[text(key)] = text(entry);
	}
	return out;
}

function mounts(value: unknown) {
	return list(value)
		.filter(isObject)
		.map((mount) => ({
			Type: text(mount.Type) || 'bind',
			Source: text(mount.Source),
			Destination: text(mount.Destination),
			RW: mount.RW !== false,
		}));
}

/** Why an answer is not JSON at all: docker-modem hands over the raw bytes then. */
function notJson(value: unknown, what: string): never {
	throw new MalformedAnswerError(Buffer.isBuffer(value) || typeof value === 'string' ? `${what} is not JSON` : `${what} has the wrong shape`);
}

export interface ContainerList {
	containers: Docker.ContainerInfo[];
	/** Entries that were not containers (no 64-hex ID): left out. */
	dropped: number;
}

/** GET /containers/json. */
export function containerList(value: unknown): ContainerList {
	if (!Array.isArray(value)) notJson(value, 'the container list');
	const containers: Docker.ContainerInfo[] = [];
	let dropped = 0;
	for (const entry of value) {
		const summary = containerSummary(entry);
		if (summary) containers.push(summary);
		else dropped++;
	}
	return {containers, dropped};
}

function containerSummary(value: unknown): Docker.ContainerInfo | undefined {
	if (!isObject(value) || typeof value.Id !== 'string' || !containerIdPattern.test(value.Id)) return undefined;
	return {
		Id: value.Id,
		Names: texts(value.Names),
		Image: text(value.Image),
		ImageID: text(value.ImageID),
		Command: text(value.Command),
		Created: number(value.Created),
		State: text(value.State),
		Status: text(value.Status),
		Ports: list(value.Ports)
			.filter(isObject)
			.map((port) => ({
				PrivatePort: number(port.PrivatePort),
				Type: text(port.Type) || 'tcp',
				...(typeof port.PublicPort === 'number' ? {PublicPort: number(port.PublicPort)} : {}),
				...(typeof port.IP === 'string' ? {IP: text(port.IP)} : {}),
			})) as Docker.Port[],
		Labels: record(value.Labels),
		Mounts: mounts(value.Mounts) as unknown as Docker.ContainerInfo['Mounts'],
	} as Docker.ContainerInfo;
}

/** GET /containers/ID/json: must be the container asked for. */
export function containerInspect(value: unknown, id: string): Docker.ContainerInspectInfo {
	if (!isObject(value)) notJson(value, 'a container inspect');
	if (value.Id !== id) throw new MalformedAnswerError('a container inspect for another container');
	const config = object(value.Config);
	const hostConfig = object(value.HostConfig);
	const state = object(value.State);
	return {
		Id: id,
		Name: text(value.Name),
		Path: text(value.Path),
		Args: texts(value.Args),
		Config: {
			Image: text(config.Image),
			Env: texts(config.Env),
			Labels: record(config.Labels),
			ExposedPorts: keySet(config.ExposedPorts),
		},
		HostConfig: {Runtime: text(hostConfig.Runtime), Privileged: hostConfig.Privileged === true, CgroupnsMode: text(hostConfig.CgroupnsMode)},
		NetworkSettings: {
			Networks: Object.fromEntries(
				Object.entries(object(object(value.NetworkSettings).Networks))
					.slice(0, maxFieldItems)
					.map(([name, network]) => [
						text(name),
						{Aliases: texts(object(network).Aliases), DNSNames: texts(object(network).DNSNames), IPAddress: text(object(network).IPAddress)},
					]),
			),
		},
		State: {Status: text(state.Status), Paused: state.Paused === true, Pid: number(state.Pid), StartedAt: text(state.StartedAt)},
		Mounts: mounts(value.Mounts),
	} as unknown as Docker.ContainerInspectInfo;
}

/** GET /info: a daemon without an ID cannot be told apart from the others. */
export function dockerInfo(value: unknown): DockerInfo {
	if (!isObject(value)) notJson(value, 'docker info');
	const id = text(value.ID);
	if (!id) throw new MalformedAnswerError('docker info without a daemon ID');
	const swarm = object(value.Swarm);
	return {
		ID: id,
		Name: text(value.Name),
		ServerVersion: text(value.ServerVersion),
		OperatingSystem: text(value.OperatingSystem),
		KernelVersion: text(value.KernelVersion),
		Driver: text(value.Driver),
		CgroupDriver: text(value.CgroupDriver),
		CgroupVersion: text(value.CgroupVersion),
		Swarm: {
			LocalNodeState: text(swarm.LocalNodeState),
			ControlAvailable: swarm.ControlAvailable === true,
			NodeID: swarmId(swarm.NodeID),
			Cluster: {ID: swarmId(object(swarm.Cluster).ID)},
		},
		Runtimes: keySet(value.Runtimes),
		DefaultRuntime: text(value.DefaultRuntime),
		SecurityOptions: texts(value.SecurityOptions),
		NCPU: number(value.NCPU),
		MemTotal: number(value.MemTotal),
		Containers: number(value.Containers),
		Images: number(value.Images),
		...(typeof value.SystemTime === 'string' ? {SystemTime: text(value.SystemTime)} : {}),
	};
}

/** GET /version: an API version that is not "1.47"-like is ignored (it goes into request paths). */
export function dockerVersion(value: unknown): Docker.DockerVersion {
	if (!isObject(value)) notJson(value, 'docker version');
	const apiVersion = text(value.ApiVersion);
	return {
		Version: text(value.Version),
		ApiVersion: apiVersionPattern.test(apiVersion) ? apiVersion : '',
	} as Docker.DockerVersion;
}

/** Swarm's own IDs (node, cluster, service, task): 25 lowercase letters and digits. */
export const swarmIdPattern = /^[a-z0-9]{25}$/;
const swarmId = (value: unknown) => (swarmIdPattern.test(text(value)) ? text(value) : '');

/** Most nodes, services and tasks read from one swarm (a real lab has a handful). */
export const maxSwarmItems = 2000;

function swarmList(value: unknown, what: string): Json[] {
	if (!Array.isArray(value)) notJson(value, what);
	return value.slice(0, maxSwarmItems).filter(isObject);
}

/** GET /nodes, /services and /tasks of a manager, read into the model's swarm shapes. */
export function swarmAnswers(clusterId: string, reportedBy: string, answers: {nodes: unknown; services: unknown; tasks: unknown}): SwarmCluster {
	const nodes: SwarmNodeInfo[] = swarmList(answers.nodes, 'the swarm node list')
		.filter((node) => swarmId(node.ID))
		.map((node) => {
			const spec = object(node.Spec);
			const status = object(node.Status);
			const manager = object(node.ManagerStatus);
			return {
				id: text(node.ID),
				hostname: text(object(node.Description).Hostname),
				role: text(spec.Role),
				state: text(status.State),
				availability: text(spec.Availability),
				leader: manager.Leader === true,
				addr: text(status.Addr),
			};
		});
	const tasks = swarmList(answers.tasks, 'the swarm task list').filter((task) => swarmId(task.ID) && swarmId(task.NodeID));
	const services: SwarmServiceInfo[] = swarmList(answers.services, 'the swarm service list').map((service) => {
		const spec = object(service.Spec);
		const mode = object(spec.Mode);
		const replicated = isObject(mode.Replicated) ? mode.Replicated : undefined;
		const id = text(service.ID);
		return {
			id,
			name: text(spec.Name),
			mode: replicated ? 'replicated' : (Object.keys(mode)[0]?.toLowerCase() ?? 'unknown'),
			...(replicated ? {replicas: number(replicated.Replicas)} : {}),
			tasks: tasks
				.filter((task) => task.ServiceID === id)
				.map((task) => {
					const status = object(task.Status);
					const containerId = text(object(status.ContainerStatus).ContainerID);
					const ownContainer = /^[0-9a-f]{64}$/.test(containerId);
					return {
						id: text(task.ID),
						...(typeof task.Slot === 'number' ? {slot: number(task.Slot)} : {}),
						nodeId: text(task.NodeID),
						...(ownContainer ? {containerId} : {}),
						state: text(status.State),
						desiredState: text(task.DesiredState),
					};
				}),
		};
	});
	return {clusterId, reportedBy, nodes, services};
}

/** GET /networks: name, MTU (Docker's default 1500 unless the driver option says) and subnets. */
export function networkList(value: unknown): DaemonNetwork[] {
	if (!Array.isArray(value)) notJson(value, 'the network list');
	return value
		.slice(0, maxFieldItems)
		.filter(isObject)
		.map((network) => {
			const mtu = Number(text(object(network.Options)['com.docker.network.driver.mtu']));
			return {
				name: text(network.Name),
				mtu: Number.isInteger(mtu) && mtu > 0 ? mtu : 1500,
				subnets: list(object(network.IPAM).Config)
					.map((config) => text(object(config).Subnet))
					.filter(Boolean),
			};
		});
}

const imageIdPattern = /^sha256:[0-9a-f]{64}$/;
/** More than any disk holds (1 PiB): a bigger size is a lie and counts as this. */
const maxBytes = 2 ** 50;
const bytes = (value: unknown) => Math.min(maxBytes, Math.max(0, number(value)));

/**
 * GET /system/df: bytes by kind, and the images by ID (the same ID in two daemons is the same
 * image stored twice). Lists are cut at maxFieldItems, so very large daemons are counted low.
 */
export function systemDiskUsage(value: unknown): DaemonStorage {
	if (!isObject(value)) notJson(value, 'the disk usage');
	const sum = (items: unknown[], size: (item: Json) => unknown) => items.filter(isObject).reduce((total, item) => total + bytes(size(item)), 0);
	return {
		layers: bytes(value.LayersSize),
		containers: sum(list(value.Containers), (container) => container.SizeRw),
		volumes: sum(list(value.Volumes), (volume) => object(volume.UsageData).Size),
		buildCache: sum(
			list(value.BuildCache).filter((record) => isObject(record) && record.Shared !== true),
			(record) => record.Size,
		),
		images: list(value.Images)
			.filter(isObject)
			.map((image) => ({id: text(image.Id), size: bytes(image.Size), tag: texts(image.RepoTags)[0] ?? ''}))
			.filter((image) => imageIdPattern.test(image.id)),
	};
}
