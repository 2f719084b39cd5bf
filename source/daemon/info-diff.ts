import type {DaemonClient} from './client.js';

/**
 * `docker info` of two daemons side by side: what differs, why (where it is a known effect of
 * DinD, sysbox or a socket), what is equal, and whether they share a kernel. Values are
 * compared by meaning: lists are sets, key/value pairs are maps, JSON formatting is ignored.
 */
export interface DaemonReport {
	info: Record<string, unknown>;
	/** GET /version, for `v`: engine and component versions. */
	version?: Record<string, unknown>;
}

export interface DiffRow {
	field: string;
	a: string;
	b: string;
	note?: string;
	/** Changes all the time (clocks, counters, IDs): hidden unless asked for. */
	volatile: boolean;
}

export interface InfoDiff {
	different: DiffRow[];
	equal: DiffRow[];
	/** Differences in volatile fields (shown with --all / `a`). */
	volatileDifferent: DiffRow[];
	sameKernel: boolean;
	kernel: {a: string; b: string};
	/** Both paths reach one daemon (same ID). */
	sameDaemon: boolean;
}

const volatileFields = new Set([
	'ID',
	'Name',
	'SystemTime',
	'Containers',
	'ContainersRunning',
	'ContainersPaused',
	'ContainersStopped',
	'Images',
	'NFd',
	'NGoroutines',
	'NEventsListener',
	'DockerRootDir',
	'Swarm.NodeID',
	'Swarm.NodeAddr',
	'Swarm.RemoteManagers',
	'Swarm.Nodes',
	'Swarm.Managers',
	'Swarm.Cluster',
	'version.BuildTime',
]);

/** Nested fields flattened to "A.B" keys with comparable text values. */
export function flattenInfo(value: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
	if (value === null || value === undefined) {
		if (prefix) out[prefix] = '';
		return out;
	}
	if (Array.isArray(value)) {
		// [[key, value], ...] (DriverStatus, SystemStatus) is a map.
		if (value.length > 0 && value.every((entry) => Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string')) {
			for (const [key, entry] of value as Array<[string, unknown]>) flattenInfo(entry, `${prefix}.${key}`, out);
			return out;
		}
		if (value.every((entry) => typeof entry !== 'object' || entry === null)) {
			out[prefix] = value
				.map((entry) => normalizeScalar(entry))
				.sort()
				.join(', ');
			return out;
		}
		// A list of objects (e.g. swarm managers): order-free by its JSON.
		out[prefix] = value
			.map((entry) => stableJson(entry))
			.sort()
			.join(', ');
		return out;
	}
	if (typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>);
		if (prefix === 'Runtimes') {
			// Runtimes: the names matter; their paths are detail.
			out[prefix] = entries
				.map(([name]) => name)
				.sort()
				.join(', ');
			return out;
		}
		if (entries.length === 0) {
			out[prefix] = '';
			return out;
		}
		for (const [key, entry] of entries) flattenInfo(entry, prefix ? `${prefix}.${key}` : key, out);
		return out;
	}
	out[prefix] = normalizeScalar(value);
	return out;
}

function normalizeScalar(value: unknown): string {
	if (typeof value === 'string') {
		// "name=seccomp,profile=default": option order inside is not meaning.
		if (/^name=/.test(value))
			return value
				.split(',')
				.sort((a, b) => (a.startsWith('name=') ? -1 : b.startsWith('name=') ? 1 : a.localeCompare(b)))
				.join(',');
		return value;
	}
	return String(value);
}

function stableJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
	if (value && typeof value === 'object') {
		return `{${Object.keys(value as object)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value);
}

function versionFields(version: Record<string, unknown> | undefined): Record<string, string> {
	if (!version) return {};
	const out: Record<string, string> = {};
	for (const key of ['Version', 'ApiVersion', 'MinAPIVersion', 'GoVersion', 'GitCommit', 'BuildTime', 'Os', 'Arch']) {
		if (version[key] !== undefined) out[`version.${key}`] = String(version[key]);
	}
	for (const component of (version.Components as Array<{Name: string; Version: string; Details?: Record<string, string>}>) ?? []) {
		out[`version.${component.Name}`] = component.Version + (component.Details?.GitCommit ? ` (${component.Details.GitCommit.slice(0, 12)})` : '');
	}
	return out;
}

const has = (text: string, word: string) => text.split(/,\s*/).some((entry) => entry.includes(word));

/** Why a field differs, when it is a known effect of running a daemon in a container. */
export function explain(field: string, a: string, b: string, all: Record<'a' | 'b', Record<string, string>>): string | undefined {
	const either = (test: (value: string) => boolean) => test(a) !== test(b);
	if (field === 'OperatingSystem' && either((v) => v.includes('(containerized)'))) {
		return 'one daemon runs inside a container: dockerd adds "(containerized)" when it finds its PID 1 in a container';
	}
	if (field === 'Driver') return 'each daemon picks its storage driver for the filesystem under its data-root; in DinD that is a volume on the parent';
	if (field.startsWith('DriverStatus.Backing Filesystem'))
		return "DinD's /var/lib/docker is a volume: its backing filesystem is the parent's storage, not the host disk";
	if (field === 'CgroupDriver') return 'a DinD has no systemd inside, so its dockerd uses cgroupfs';
	if (field === 'CgroupVersion') return 'the cgroup version follows the kernel and what is mounted into the container (/sys/fs/cgroup)';
	if (field === 'SecurityOptions') {
		const notes: string[] = [];
		if (either((v) => has(v, 'name=seccomp'))) notes.push('seccomp is off on one side (DinD runs unconfined or privileged)');
		if (either((v) => has(v, 'name=apparmor'))) notes.push('AppArmor is unavailable inside a container');
		if (either((v) => has(v, 'name=rootless'))) notes.push('one daemon is rootless');
		if (either((v) => has(v, 'name=userns'))) notes.push('one daemon remaps users (userns)');
		if (either((v) => has(v, 'name=cgroupns'))) notes.push('cgroup namespaces differ');
		return notes.join('; ') || 'security options differ';
	}
	if (field === 'Runtimes' && either((v) => has(v, 'sysbox-runc')))
		return 'sysbox-runc is installed on one daemon only: sysbox sandboxes can be made only there';
	if (field === 'DefaultRuntime') return 'containers run under a different runtime by default';
	if (field === 'ServerVersion') {
		const apiA = all.a['version.ApiVersion'];
		const apiB = all.b['version.ApiVersion'];
		return `different engines${apiA && apiB && apiA !== apiB ? `; API ${apiA} vs ${apiB}: a client talking to both negotiates down to the older` : ''}`;
	}
	if (field === 'version.ApiVersion') return 'API skew: clients negotiate down to the older version';
	if (field.startsWith('RegistryConfig.Mirrors') || field === 'RegistryConfig.IndexConfigs')
		return "registry mirrors are per daemon: an inner daemon does not inherit its host's";
	if (field.startsWith('RegistryConfig.InsecureRegistryCIDRs') || field.startsWith('RegistryConfig.IndexConfigs')) {
		return "insecure registries are per daemon: an inner daemon does not inherit its host's";
	}
	if (field.startsWith('Swarm.')) return 'swarm membership is per daemon: a DinD is a separate node (or none)';
	if (field === 'NCPU') return 'CPUs visible to the daemon: a --cpuset-cpus on the DinD container shows here';
	if (field === 'MemTotal') return 'memory visible to the daemon: a memory limit on the container shows here';
	if (field === 'OSType' || field === 'Architecture') return 'a different platform';
	if (field === 'KernelVersion') return 'different kernels: these daemons are on different machines or VMs';
	if (field === 'LoggingDriver') return 'containers log through a different driver';
	if (field.startsWith('Plugins.')) return 'different plugins are installed';
	if (field === 'LiveRestoreEnabled') return 'live restore keeps containers running while dockerd restarts';
	if (field === 'HttpProxy' || field === 'HttpsProxy' || field === 'NoProxy') return "proxy settings come from each daemon's environment";
	if (field === 'Warnings') return 'warnings dockerd gives about its host or container (missing cgroup features, bridge-nf, ...)';
	return undefined;
}

export function diffInfo(a: DaemonReport, b: DaemonReport, options: {components?: boolean} = {}): InfoDiff {
	const fields = {
		a: {...flattenInfo(a.info), ...(options.components ? versionFields(a.version) : {})},
		b: {...flattenInfo(b.info), ...(options.components ? versionFields(b.version) : {})},
	};
	// ApiVersion feeds the ServerVersion note even without components.
	const withApi = {
		a: {...fields.a, ...(a.version?.ApiVersion ? {'version.ApiVersion': String(a.version.ApiVersion)} : {})},
		b: {...fields.b, ...(b.version?.ApiVersion ? {'version.ApiVersion': String(b.version.ApiVersion)} : {})},
	};
	const keys = [...new Set([...Object.keys(fields.a), ...Object.keys(fields.b)])].sort(fieldOrder);
	const result: InfoDiff = {
		different: [],
		equal: [],
		volatileDifferent: [],
		sameKernel: fields.a.KernelVersion !== undefined && fields.a.KernelVersion === fields.b.KernelVersion,
		kernel: {a: fields.a.KernelVersion ?? '', b: fields.b.KernelVersion ?? ''},
		sameDaemon: fields.a.ID !== undefined && fields.a.ID === fields.b.ID,
	};
	for (const field of keys) {
		const left = fields.a[field] ?? '—';
		const right = fields.b[field] ?? '—';
		const volatile = volatileFields.has(field) || field.startsWith('SystemStatus') || /^Swarm\.(Cluster|RemoteManagers)/.test(field);
		const row: DiffRow = {field, a: left, b: right, volatile};
		if (left === right) {
			result.equal.push(row);
			continue;
		}
		const note = explain(field, left, right, withApi);
		if (note) row.note = note;
		(volatile ? result.volatileDifferent : result.different).push(row);
	}
	return result;
}

/** Important fields first, in the order people look for them; the rest alphabetical. */
const leading = [
	'OperatingSystem',
	'ServerVersion',
	'KernelVersion',
	'Driver',
	'DriverStatus',
	'CgroupDriver',
	'CgroupVersion',
	'SecurityOptions',
	'Runtimes',
	'DefaultRuntime',
	'RegistryConfig',
	'Swarm',
	'NCPU',
	'MemTotal',
];
function fieldOrder(a: string, b: string): number {
	const rank = (field: string) => {
		const index = leading.findIndex((lead) => field === lead || field.startsWith(`${lead}.`));
		return index === -1 ? (field.startsWith('version.') ? leading.length + 1 : leading.length) : index;
	};
	return rank(a) - rank(b) || a.localeCompare(b);
}

export async function fetchReport(client: DaemonClient): Promise<DaemonReport> {
	const [info, version] = await Promise.all([
		client.docker.info() as Promise<Record<string, unknown>>,
		client.docker.version() as unknown as Promise<Record<string, unknown>>,
	]);
	return {info, version};
}

/** The `--json` form: {field: {a, b, note}} for the fields that differ. */
export function diffJson(diff: InfoDiff, all = false): Record<string, {a: string; b: string; note?: string}> {
	const rows = all ? [...diff.different, ...diff.volatileDifferent] : diff.different;
	return Object.fromEntries(rows.map((row) => [row.field, {a: row.a, b: row.b, ...(row.note ? {note: row.note} : {})}]));
}
