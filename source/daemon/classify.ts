import type {ContainerKind, MountPoint} from '../store/model.js';

/** What classification looks at; filled from a listing first, then from inspect. */
export interface ClassifyInput {
	image: string;
	/** argv of the main process: entrypoint then cmd, when known separately. */
	argv: string[];
	env?: string[];
	mounts: MountPoint[];
	/** Private ports exposed or published. */
	ports: number[];
	runtime?: string;
	labels: Record<string, string>;
}

export interface Classification {
	kind: ContainerKind;
	signals: string[];
}

/** Where a Docker socket is mounted in a socket (DooD) container. */
export const socketMountPaths = [/^\/(var\/)?run\/docker\.sock$/, /^\/run\/user\/\d+\/docker\.sock$/];

const basename = (word: string) => word.split('/').pop() ?? word;

/** Does the main process run a Docker daemon (directly or through the official entrypoint)? */
function runsDockerd(argv: string[]): string | undefined {
	const [first, second] = argv;
	if (!first) return undefined;
	if (basename(first) === 'dockerd') return 'command dockerd';
	if (basename(first) === 'dockerd-entrypoint.sh') {
		// The entrypoint execs its argument unless it is empty, a flag or dockerd itself.
		if (second === undefined || second.startsWith('-') || basename(second) === 'dockerd') {
			return 'entrypoint dockerd-entrypoint.sh';
		}
		return undefined;
	}
	// Wrappers like `tini -- dockerd` or `sh -c "dockerd ..."`.
	if (argv.slice(1).some((word) => /(^|[\s/])dockerd(\s|$)/.test(word) && !/dockerd-/.test(word))) {
		return 'command runs dockerd';
	}
	return undefined;
}

/** The DOCKER_HOST a container's environment sets for its Docker client (tcp, unix or ssh). */
export function dockerHostOf(env: string[] | undefined): string | undefined {
	const value = env?.find((entry) => entry.startsWith('DOCKER_HOST='))?.slice('DOCKER_HOST='.length);
	return value && /^(tcp|unix|ssh):\/\//.test(value) ? value : undefined;
}

/**
 * Kind of a container, with the signals that decided it. A DinD-looking container is only a
 * candidate: discovery confirms it by reaching the daemon inside and reading its ID.
 */
export function classifyContainer(input: ClassifyInput): Classification {
	const signals: string[] = [];
	if (input.runtime === 'sysbox-runc') return {kind: 'sysbox', signals: ['runtime sysbox-runc']};

	const dockerd = runsDockerd(input.argv);
	const socketMount = input.mounts.find((mount) => mount.type === 'bind' && socketMountPaths.some((pattern) => pattern.test(mount.destination)));
	const weak: string[] = [];
	if (input.env?.some((entry) => entry.startsWith('DIND_COMMIT='))) weak.push('env DIND_COMMIT');
	if (/(^|\/)docker:[^/]*dind|dind/i.test(input.image)) weak.push(`image ${input.image}`);
	if (input.mounts.some((mount) => mount.destination === '/var/lib/docker')) weak.push('volume /var/lib/docker');
	for (const port of [2375, 2376]) if (input.ports.includes(port)) weak.push(`port ${port}`);
	if (input.labels['io.dockerception.mode'] === 'dind') weak.push('label io.dockerception.mode=dind');
	if (input.labels['io.dockerception.mode'] === 'socket') signals.push('label io.dockerception.mode=socket');

	if (dockerd) return {kind: 'dind', signals: [dockerd, ...weak]};
	if (socketMount) return {kind: 'socket', signals: [`socket ${socketMount.source} → ${socketMount.destination}`, ...signals]};
	// A Docker client pointed elsewhere (compose's `docker` service, a CI job): whatever else it
	// looks like (docker images declare a /var/lib/docker volume), it runs no daemon of its own.
	const dockerHost = dockerHostOf(input.env);
	if (dockerHost) return {kind: 'client', signals: [`env DOCKER_HOST=${dockerHost}`, ...weak.map((signal) => `${signal} (not a daemon: a client)`)]};
	if (weak.length > 0) return {kind: 'dind', signals: weak};
	return {kind: 'plain', signals: []};
}
