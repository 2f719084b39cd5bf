import {waitForDaemon, type DaemonClient} from '../../source/daemon/client.js';
import {startDindContainer, type DindProfile} from '../../source/daemon/dind-container.js';
import {copyImage} from '../../source/daemon/image-copy.js';
import {managedLabels} from '../../source/daemon/labels.js';
import {offlineImages} from '../../source/private-daemon/offline-images.js';

export {waitForDaemon};

/**
 * Building blocks for nested topologies on any daemon, at any depth, and the reference
 * topology the tests, benchmarks and screenshots run on. Lab code, not part of the CLI:
 * scripts/bundle.mjs builds it into dist/lab/topology.js for scripts/ and bench/.
 */

export interface StartedDaemonContainer {
	id: string;
	name: string;
	profile: DindProfile;
	/** The daemon inside, reached through an exec tunnel from its parent. */
	client: DaemonClient;
}

export interface BuildOptions {
	labels?: Record<string, string>;
	/** Step messages for a progress display. */
	progress?: (step: string) => void;
}

/** Start a DinD container on `parent`, wait for its daemon and load `images` into it. */
export async function startDind(
	parent: DaemonClient,
	name: string,
	images: string[] = [offlineImages.busybox],
	options: BuildOptions = {},
): Promise<StartedDaemonContainer> {
	options.progress?.(`starting DinD ${name}`);
	const started = await startDindContainer(parent.docker, {
		image: offlineImages.dind,
		name,
		labels: {...managedLabels('dind'), ...options.labels},
	});
	const client = parent.tunnelTo(started.id, `exec tunnel via ${name}`, 30_000);
	await waitForDaemon(client);
	for (const image of images) {
		options.progress?.(`copying ${image} into ${name}`);
		await copyImage(parent, client, image).catch((error: Error) => {
			throw new Error(`copying ${image} into ${name}: ${error.message}`, {cause: error});
		});
	}
	return {...started, client};
}

/** A busybox container running `cmd` (sleep by default); `exited` leaves it stopped. */
export async function runBusybox(
	client: DaemonClient,
	name: string,
	options: {cmd?: string[]; exited?: boolean; binds?: string[]; labels?: Record<string, string>} = {},
): Promise<string> {
	const container = await client.docker.createContainer({
		Image: offlineImages.busybox,
		name,
		Cmd: options.cmd ?? (options.exited ? ['true'] : ['sleep', '86400']),
		Labels: {...managedLabels('plain'), ...options.labels},
		HostConfig: {Init: true, ...(options.binds ? {Binds: options.binds} : {})},
	});
	await container.start();
	if (options.exited) await container.wait();
	return container.id;
}

/** A socket (DooD) container: the parent's socket mounted, a docker CLI inside, doing nothing. */
export async function runSocketContainer(client: DaemonClient, name: string, socketPath: string, options: BuildOptions = {}): Promise<string> {
	const container = await client.docker.createContainer({
		Image: offlineImages.dind,
		name,
		Cmd: ['sleep', 'infinity'],
		Env: ['DOCKER_HOST=unix:///var/run/docker.sock'],
		Labels: {...managedLabels('socket'), ...options.labels},
		HostConfig: {Init: true, Binds: [`${socketPath}:/var/run/docker.sock`]},
	});
	await container.start();
	return container.id;
}

export async function removeContainers(client: DaemonClient, names: string[]): Promise<void> {
	await Promise.all(
		names.map((name) =>
			client.docker
				.getContainer(name)
				.remove({force: true, v: true})
				.catch(() => {}),
		),
	);
}

/** Remove networks by name; ones not there are fine. */
export async function removeNetworks(client: DaemonClient, names: string[]): Promise<void> {
	await Promise.all(
		names.map((name) =>
			client.docker
				.getNetwork(name)
				.remove()
				.catch(() => {}),
		),
	);
}

/**
 * The reference topology (4 daemons, 17 containers, containers three levels down):
 *
 *   host: plain-1, plain-2, plain-3 (exited), dood (socket), dind-a, dind-b
 *   dind-a: inner-a1, inner-a2, inner-a3, inner-a4 (exited)
 *   dind-b: dind-b1, inner-b1, inner-b2
 *   dind-b1: inner-c1, inner-c2, inner-c3, inner-c4 (exited)
 */
export interface ReferenceTopology {
	dindA: StartedDaemonContainer;
	dindB: StartedDaemonContainer;
	dindB1: StartedDaemonContainer;
	close(): void;
}

export const referenceNames = {
	host: ['plain-1', 'plain-2', 'plain-3', 'dood', 'dind-a', 'dind-b'],
	dindA: ['inner-a1', 'inner-a2', 'inner-a3', 'inner-a4'],
	dindB: ['dind-b1', 'inner-b1', 'inner-b2'],
	dindB1: ['inner-c1', 'inner-c2', 'inner-c3', 'inner-c4'],
};

export async function buildReferenceTopology(host: DaemonClient, hostSocketPath: string, options: BuildOptions = {}): Promise<ReferenceTopology> {
	await removeContainers(host, referenceNames.host);
	const busybox = (client: DaemonClient, name: string, exited = false) =>
		runBusybox(client, name, {exited, ...(options.labels ? {labels: options.labels} : {})});
	options.progress?.('host containers');
	await Promise.all([
		busybox(host, 'plain-1'),
		busybox(host, 'plain-2'),
		busybox(host, 'plain-3', true),
		runSocketContainer(host, 'dood', hostSocketPath, options),
	]);
	const [dindA, dindB] = await Promise.all([
		startDind(host, 'dind-a', [offlineImages.busybox], options),
		startDind(host, 'dind-b', [offlineImages.busybox, offlineImages.dind], options),
	]);
	await Promise.all([
		busybox(dindA.client, 'inner-a1'),
		busybox(dindA.client, 'inner-a2'),
		busybox(dindA.client, 'inner-a3'),
		busybox(dindA.client, 'inner-a4', true),
	]);
	const dindB1 = await startDind(dindB.client, 'dind-b1', [offlineImages.busybox], options);
	await Promise.all([
		busybox(dindB.client, 'inner-b1'),
		busybox(dindB.client, 'inner-b2'),
		busybox(dindB1.client, 'inner-c1'),
		busybox(dindB1.client, 'inner-c2'),
		busybox(dindB1.client, 'inner-c3'),
		busybox(dindB1.client, 'inner-c4', true),
	]);
	return {
		dindA,
		dindB,
		dindB1,
		close() {
			dindB1.client.close();
			dindB.client.close();
			dindA.client.close();
		},
	};
}

export const composeNames = {network: 'seed_default', service: 'seed_dockerd_1', client: 'seed_docker_1'};

/**
 * The classic compose "dind + client" shape, built with the API: a DinD service on a project
 * network, answering as `dockerd` on plain 2375, and a client container (a DinD-looking image
 * with a /var/lib/docker volume) whose DOCKER_HOST is tcp://dockerd:2375.
 */
export async function buildComposeShape(host: DaemonClient, options: BuildOptions = {}): Promise<void> {
	await removeContainers(host, [composeNames.service, composeNames.client]);
	await removeNetworks(host, [composeNames.network]);
	await host.docker.createNetwork({Name: composeNames.network, ...(options.labels ? {Labels: options.labels} : {})});
	options.progress?.(`starting ${composeNames.service}`);
	await startDindContainer(host.docker, {
		image: offlineImages.dind,
		name: composeNames.service,
		labels: {...options.labels},
		cmd: ['dockerd', '--host=unix:///var/run/docker.sock', '--host=tcp://0.0.0.0:2375'],
	});
	await host.docker.getNetwork(composeNames.network).connect({Container: composeNames.service, EndpointConfig: {Aliases: ['dockerd']}});
	const client = await host.docker.createContainer({
		Image: offlineImages.dind,
		name: composeNames.client,
		Entrypoint: ['sleep', '86400'],
		Env: ['DOCKER_HOST=tcp://dockerd:2375'],
		Labels: {...options.labels},
		Volumes: {'/var/lib/docker': {}},
		HostConfig: {NetworkMode: composeNames.network},
	});
	await client.start();
}
