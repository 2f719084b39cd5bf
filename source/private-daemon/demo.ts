import {existsSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {waitForDaemon, type DaemonClient} from '../daemon/client.js';
import {keepAliveEntrypoint} from '../daemon/create-container.js';
import {startDindContainer} from '../daemon/dind-container.js';
import {copyImage} from '../daemon/image-copy.js';
import {hasImage, tryPull} from '../daemon/images.js';
import {managedLabels} from '../daemon/labels.js';
import {ensureBusyboxImage, ensureDindImage, offlineImages} from './offline-images.js';

/**
 * The `--sandbox --demo` tree: a DinD holding a DinD and a few containers, plus a socket
 * container and a plain one on the host. Every container restarts with its daemon, so a
 * kept or restarted sandbox comes back whole without being built again.
 *
 *   sandbox: demo-outer (DinD), demo-socket (socket), demo-web
 *   demo-outer: demo-inner (DinD), demo-worker
 *   demo-inner: demo-app-1, demo-app-2
 */
export interface DemoImages {
	busybox: string;
	dind: string;
	/** Where they came from, for the progress display. */
	source: 'registry' | 'built offline' | 'already here';
}

export interface DemoProgress {
	(step: string, done: number, total: number): void;
}

export const demoNames = ['demo-outer', 'demo-socket', 'demo-web'];
const restart = {RestartPolicy: {Name: 'unless-stopped'}};
const labels = (mode: Parameters<typeof managedLabels>[0]) => ({...managedLabels(mode), 'io.dockerception.demo': 'true'});

/** Pull the official images when a registry answers; otherwise build them from Debian's packages. */
export async function ensureDemoImages(client: DaemonClient, stateDir: string, progress: DemoProgress): Promise<DemoImages> {
	if ((await hasImage(client.docker, offlineImages.busybox)) && (await hasImage(client.docker, offlineImages.dind))) {
		return {busybox: offlineImages.busybox, dind: offlineImages.dind, source: 'already here'};
	}
	if ((await hasImage(client.docker, 'busybox:latest')) && (await hasImage(client.docker, 'docker:dind'))) {
		return {busybox: 'busybox:latest', dind: 'docker:dind', source: 'already here'};
	}
	progress('pulling busybox and docker:dind', 0, 1);
	const [busybox, dind] = await Promise.all([tryPull(client, 'busybox:latest', 120_000), tryPull(client, 'docker:dind', 120_000)]);
	if (busybox === undefined && dind === undefined) return {busybox: 'busybox:latest', dind: 'docker:dind', source: 'registry'};
	progress('no registry: building busybox from busybox-static', 0, 2);
	await ensureBusyboxImage(client.streams, join(stateDir, 'build'));
	progress('no registry: building a DinD image with debootstrap (about a minute)', 1, 2);
	await ensureDindImage(client.streams, join(stateDir, 'build'));
	return {busybox: offlineImages.busybox, dind: offlineImages.dind, source: 'built offline'};
}

/**
 * Build the demo tree unless it is there already. `marker` is written once the whole tree is
 * up, so a build that was interrupted halfway is made again. Returns false when it was there.
 */
export async function ensureDemoTopology(host: DaemonClient, hostSocket: string, images: DemoImages, progress: DemoProgress, marker: string): Promise<boolean> {
	const existing = new Set((await host.docker.listContainers({all: true})).flatMap((c) => c.Names.map((name) => name.slice(1))));
	if (existsSync(marker) && demoNames.every((name) => existing.has(name))) return false;
	rmSync(marker, {force: true});
	for (const name of demoNames) if (existing.has(name)) await host.docker.getContainer(name).remove({force: true, v: true});
	const total = 7;
	let done = 0;
	const step = (text: string) => progress(text, done++, total);

	const busybox = async (client: DaemonClient, name: string) => {
		const container = await client.docker.createContainer({
			Image: images.busybox,
			name,
			Cmd: ['sh', '-c', `trap "exit 0" TERM; while :; do echo "$(date) ${name} is alive"; sleep 5 & wait $!; done`],
			Labels: labels('plain'),
			HostConfig: {Init: true, ...restart},
		});
		await container.start();
	};
	const dind = async (parent: DaemonClient, name: string, load: string[]) => {
		const started = await startDindContainer(parent.docker, {image: images.dind, name, labels: labels('dind'), hostConfig: restart});
		const client = parent.tunnelTo(started.id, `exec tunnel via ${name}`, 30_000);
		await waitForDaemon(client);
		for (const image of load) {
			step(`copying ${image} into ${name}`);
			await copyImage(parent, client, image);
		}
		return client;
	};

	step('starting demo-web and demo-socket on the sandbox daemon');
	await busybox(host, 'demo-web');
	const socket = await host.docker.createContainer({
		Image: images.dind,
		name: 'demo-socket',
		Entrypoint: keepAliveEntrypoint,
		Cmd: [],
		Env: ['DOCKER_HOST=unix:///var/run/docker.sock'],
		Labels: labels('socket'),
		HostConfig: {Binds: [`${hostSocket}:/var/run/docker.sock`], ...restart},
	});
	await socket.start();
	step('starting demo-outer (DinD)');
	const outer = await dind(host, 'demo-outer', [images.busybox, images.dind]);
	step('starting demo-inner (DinD inside demo-outer)');
	const inner = await dind(outer, 'demo-inner', [images.busybox]);
	step('starting the inner containers');
	await Promise.all([busybox(outer, 'demo-worker'), busybox(inner, 'demo-app-1'), busybox(inner, 'demo-app-2')]);
	progress('demo ready', total, total);
	inner.close();
	outer.close();
	writeFileSync(marker, `${new Date().toISOString()}\n`);
	return true;
}
