import {randomBytes} from 'node:crypto';
import type Docker from 'dockerode';
import {oneLine, UserError} from '../errors.js';
import type {DaemonClient} from './client.js';
import type {Endpoint} from './endpoint.js';
import {keepAliveEntrypoint, startOrRemove} from './create-container.js';
import {startDindContainer, type DindProfile} from './dind-container.js';
import {hasImage, imageTags, tryPull} from './images.js';
import {managedLabel, managedLabels, modeLabel, type SandboxMode} from './labels.js';
import {runLifecycle} from './lifecycle.js';

/**
 * Sandboxes dockerception creates: DinD (its own dockerd), socket (the parent's daemon socket
 * mounted, so its containers are siblings) and sysbox (DinD without --privileged). All carry
 * io.dockerception.managed=true and io.dockerception.mode, which is what prune looks for.
 */
export interface SpawnSpec {
	mode: SandboxMode;
	name?: string;
	image?: string;
	/** Socket of the daemon, as that daemon sees its own filesystem (socket mode). */
	daemonSocket?: string;
	/** For the official docker:dind image: TLS on 2376 with certs in /certs (upstream's default). */
	tls?: boolean;
	/** Labels besides dockerception's own (a recreated sandbox keeps its labels). */
	labels?: Record<string, string>;
	/** Environment for a DinD sandbox's daemon, besides the image's own. */
	env?: string[];
}

export interface SpawnResult {
	id: string;
	name: string;
	mode: SandboxMode;
	image: string;
	/** How the DinD container was allowed to run its daemon. */
	profile?: DindProfile | 'sysbox';
}

export const officialDindImage = 'docker:dind';

/**
 * The socket to mount for a socket sandbox, as the daemon sees its own filesystem: a root's
 * endpoint socket, or the default one inside a DinD container. undefined: no local socket.
 */
export function daemonSocketFor(daemonPath: string, endpoints: Endpoint[]): string | undefined {
	if (daemonPath.includes('/')) return '/var/run/docker.sock';
	const endpoint = endpoints.find((candidate) => candidate.name === daemonPath);
	return endpoint?.transport.kind === 'unix' ? endpoint.transport.socketPath : undefined;
}
const namePattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** A container name Docker accepts, or the reason it does not. */
export function nameProblem(name: string): string | undefined {
	if (name === '') return 'a name is needed';
	if (name.length > 128) return 'at most 128 characters';
	if (!namePattern.test(name)) return 'letters, digits, "_", "." and "-" only, starting with a letter or digit';
	return undefined;
}

export function defaultName(mode: SandboxMode | 'swarm'): string {
	return `${mode}-${randomBytes(2).toString('hex')}`;
}

/** The official image gets its upstream behaviour; any other image is run as it is. */
export function isOfficialDockerImage(image: string): boolean {
	return /^(docker\.io\/)?(library\/)?docker(:|@|$)/.test(image);
}

/** Modes this daemon can host: sysbox only where its runtime is installed. */
export async function availableModes(client: DaemonClient): Promise<SandboxMode[]> {
	const info = (await client.docker.info()) as {Runtimes?: Record<string, unknown>};
	return ['dind', 'socket', ...(info.Runtimes && 'sysbox-runc' in info.Runtimes ? (['sysbox'] as const) : [])];
}

/**
 * The image for a DinD sandbox: the one asked for; else docker:dind when the daemon has it;
 * else a local image whose name says dind (how an offline daemon gets one, e.g. copied in
 * with `i`); else docker:dind pulled. Local images first: inside a DinD without a network a
 * pull only fails after a DNS timeout of ~20 s.
 */
export async function chooseDindImage(client: DaemonClient, preferred?: string): Promise<string> {
	if (preferred) {
		if (await hasImage(client.docker, preferred)) return preferred;
		const pullError = await tryPull(client, preferred, 60_000);
		if (!pullError) return preferred;
		throw new UserError(`image ${preferred} is not on this daemon and cannot be pulled (${pullError}); copy it in with i, or pick another`);
	}
	if (await hasImage(client.docker, officialDindImage)) return officialDindImage;
	const local = (await imageTags(client))
		.map((tag) => tag.name)
		.filter((name) => /dind/i.test(name))
		.sort()[0];
	if (local) return local;
	const pullError = await tryPull(client, officialDindImage, 30_000);
	if (!pullError) return officialDindImage;
	throw new UserError(
		`no DinD image: ${officialDindImage} is not on this daemon and cannot be pulled (${pullError}); give one with --dind-image, or copy one in with i`,
	);
}

/** Create and start a sandbox; for DinD and sysbox the caller waits for its daemon to answer. */
export async function spawnSandbox(client: DaemonClient, spec: SpawnSpec): Promise<SpawnResult> {
	const name = spec.name ?? defaultName(spec.mode);
	const problem = nameProblem(name);
	if (problem) throw new UserError(`name "${name}": ${problem}`, 2);
	const labels = {...spec.labels, ...managedLabels(spec.mode)};
	// By name only: the inspect endpoint also takes an ID prefix, which a new name may look like.
	const taken = await client.docker
		.getContainer(name)
		.inspect()
		.then(
			(info) => info.Name === `/${name}`,
			() => false,
		);
	if (taken) throw new UserError(`name "${name}" is taken on this daemon: pick another, or remove that container first`, 2);
	switch (spec.mode) {
		case 'dind': {
			const image = await chooseDindImage(client, spec.image);
			const official = isOfficialDockerImage(image);
			const started = await startDindContainer(client.docker, {
				image,
				name,
				labels,
				env: [...(official ? [`DOCKER_TLS_CERTDIR=${spec.tls === false ? '' : '/certs'}`] : []), ...(spec.env ?? [])],
			});
			return {id: started.id, name: started.name, mode: 'dind', image, profile: started.profile};
		}
		case 'sysbox': {
			if (!(await availableModes(client)).includes('sysbox')) {
				throw new UserError(
					'sysbox mode needs the sysbox-runc runtime, and this daemon has none: install sysbox (github.com/nestybox/sysbox), or use --mode dind',
				);
			}
			const image = await chooseDindImage(client, spec.image);
			const container = await client.docker.createContainer({
				Image: image,
				name,
				Labels: labels,
				...(isOfficialDockerImage(image) ? {Env: [`DOCKER_TLS_CERTDIR=${spec.tls === false ? '' : '/certs'}`]} : {}),
				HostConfig: {Runtime: 'sysbox-runc'},
			});
			await startOrRemove(container);
			return {id: container.id, name, mode: 'sysbox', image, profile: 'sysbox'};
		}
		case 'socket': {
			if (!spec.daemonSocket) {
				throw new UserError('socket mode needs a daemon reached through a local unix socket (this one is not)', 2);
			}
			const image = spec.image ?? (await socketImage(client));
			const container = await client.docker.createContainer({
				Image: image,
				name,
				Labels: labels,
				// A CLI image's entrypoint would start a daemon or exit: keep the container idle.
				Entrypoint: keepAliveEntrypoint,
				Cmd: [],
				Env: ['DOCKER_HOST=unix:///var/run/docker.sock'],
				HostConfig: {Binds: [`${spec.daemonSocket}:/var/run/docker.sock`]},
			});
			await startOrRemove(container);
			return {id: container.id, name, mode: 'socket', image};
		}
	}
}

/** An image with a docker CLI for socket containers: docker:cli, else a DinD image. */
async function socketImage(client: DaemonClient): Promise<string> {
	if (await hasImage(client.docker, 'docker:cli')) return 'docker:cli';
	return chooseDindImage(client);
}

/** The managed sandboxes on one daemon (prune's candidates). */
export async function managedContainers(client: DaemonClient): Promise<Docker.ContainerInfo[]> {
	return client.docker.listContainers({all: true, filters: {label: [`${managedLabel}=true`]}});
}

export interface RecreateOptions {
	/** The daemon it is on, for messages: "default/dind-b". */
	daemonPath: string;
	daemonSocket?: string;
	/** For a sandbox that leaves socket mode: the DinD image to use (--dind-image); else one is chosen. */
	dindImage?: string;
	/**
	 * Resolves once the daemon inside the new container answers, rejects when it will not (the
	 * TUI waits on its tree, which tries every route it knows).
	 */
	untilReady: (container: {id: string; name: string}) => Promise<unknown>;
}

/** Modes whose container runs a daemon: they take a DinD image, a socket sandbox a CLI image. */
const runsDaemon = (mode: string | undefined) => mode === 'dind' || mode === 'sysbox';

/**
 * Recreate a sandbox dockerception made in another mode, with the same name and labels (the
 * mode label follows the new mode). The new one is made first under a name of its own; only
 * once it runs (and its daemon answers) is the old one removed and the new one renamed, so a
 * failure on the way leaves the old sandbox as it was.
 */
export async function recreateSandbox(client: DaemonClient, containerId: string, mode: SandboxMode, options: RecreateOptions): Promise<SpawnResult> {
	const info = await client.docker.getContainer(containerId).inspect();
	const name = info.Name.replace(/^\//, '');
	if (info.Config.Labels?.[managedLabel] !== 'true') {
		throw new UserError(`${name} was not created by dockerception: it is not recreated`, 2);
	}
	const labels = info.Config.Labels ?? {};
	const keepImage = runsDaemon(labels[modeLabel]) === runsDaemon(mode);
	const image = keepImage ? info.Config.Image : mode === 'socket' ? undefined : options.dindImage;
	const temporary = `${name.slice(0, 100)}-recreated-${randomBytes(3).toString('hex')}`;
	let created: SpawnResult;
	try {
		created = await spawnSandbox(client, {
			mode,
			name: temporary,
			labels,
			...(image ? {image} : {}),
			...(options.daemonSocket ? {daemonSocket: options.daemonSocket} : {}),
		});
	} catch (error) {
		throw new UserError(`the old one is kept: ${oneLine(error)}`);
	}
	if (runsDaemon(mode)) {
		try {
			await options.untilReady(created);
		} catch (error) {
			await runLifecycle(client, created.id, 'remove-with-volumes').catch(() => {});
			throw new UserError(`the old one is kept: the new ${mode} sandbox did not come up (${oneLine(error)})`);
		}
	}
	try {
		await runLifecycle(client, containerId, 'remove-with-volumes');
	} catch (error) {
		// Whether the old one is gone is not known (a removal past its deadline may still finish): both stay.
		throw new UserError(`the old one was not removed (${oneLine(error)}): the new one runs as ${options.daemonPath}/${temporary}; remove one of them with d`);
	}
	try {
		await client.slow.getContainer(created.id).rename({name, abortSignal: AbortSignal.timeout(30_000)});
	} catch (error) {
		throw new UserError(`the new sandbox runs as ${options.daemonPath}/${temporary}, not renamed to ${name} (${oneLine(error)})`);
	}
	return {...created, name};
}
