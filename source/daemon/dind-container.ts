import type Docker from 'dockerode';

/**
 * Start a container that runs its own dockerd. Privileged first; engines whose capability
 * bounding set lacks a capability (hardened CI runners, Firecracker VMs) refuse that with
 * "unable to apply caps", so retry with explicit capabilities minus SYS_RESOURCE, no
 * seccomp/apparmor confinement, all devices and a writable cgroup mount.
 */
export type DindProfile = 'privileged' | 'explicit-caps';

export interface DindSpec {
	image: string;
	name?: string;
	labels?: Record<string, string>;
	env?: string[];
	cmd?: string[];
	/** Extra host config (binds, ports) merged into whichever profile is used. */
	hostConfig?: Docker.HostConfig;
	/** Ports to expose, e.g. "2375/tcp" (a port binding needs its port exposed). */
	exposedPorts?: string[];
}

export interface StartedDind {
	id: string;
	name: string;
	profile: DindProfile;
}

export const explicitCapsHostConfig: Docker.HostConfig = {
	CapAdd: ['ALL'],
	CapDrop: ['SYS_RESOURCE'],
	SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
	// The CLI's `--security-opt systempaths=unconfined`: nothing masked or read-only in /proc, /sys.
	MaskedPaths: [],
	ReadonlyPaths: [],
	DeviceCgroupRules: ['a *:* rwm'],
	Binds: ['/sys/fs/cgroup:/sys/fs/cgroup:rw'],
};

/** Remembered per daemon client so a refusing engine is not asked twice. */
const refusesPrivileged = new WeakSet<Docker>();

export function isCapabilityRefusal(error: unknown): boolean {
	return /unable to apply caps|operation not permitted.*cap/i.test(String(error));
}

export async function startDindContainer(docker: Docker, spec: DindSpec): Promise<StartedDind> {
	const profiles: DindProfile[] = refusesPrivileged.has(docker) ? ['explicit-caps'] : ['privileged', 'explicit-caps'];
	let lastError: unknown;
	for (const profile of profiles) {
		const container = await docker.createContainer(createOptions(spec, profile));
		try {
			await container.start();
			const info = await container.inspect();
			return {id: info.Id, name: info.Name.replace(/^\//, ''), profile};
		} catch (error) {
			lastError = error;
			await container.remove({force: true, v: true}).catch(() => {});
			if (profile === 'privileged' && isCapabilityRefusal(error)) {
				refusesPrivileged.add(docker);
				continue;
			}
			throw error;
		}
	}
	throw lastError;
}

function createOptions(spec: DindSpec, profile: DindProfile): Docker.ContainerCreateOptions {
	const base: Docker.HostConfig = profile === 'privileged' ? {Privileged: true} : {...explicitCapsHostConfig};
	const extra = spec.hostConfig ?? {};
	const hostConfig: Docker.HostConfig = {
		...base,
		...extra,
		Binds: [...(base.Binds ?? []), ...(extra.Binds ?? [])],
	};
	return {
		Image: spec.image,
		...(spec.name ? {name: spec.name} : {}),
		...(spec.cmd ? {Cmd: spec.cmd} : {}),
		...(spec.env ? {Env: spec.env} : {}),
		...(spec.exposedPorts ? {ExposedPorts: Object.fromEntries(spec.exposedPorts.map((port) => [port, {}]))} : {}),
		Labels: spec.labels ?? {},
		HostConfig: hostConfig,
	};
}
