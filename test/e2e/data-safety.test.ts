import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonClient} from '../../source/daemon/client.js';
import {copyImage} from '../../source/daemon/image-copy.js';
import {spawnSandbox} from '../../source/daemon/sandbox-containers.js';
import {
	e2eSkipped,
	labClient,
	labHost,
	labLogTail,
	offlineImages,
	removeContainers,
	startDind,
	waitForDaemon,
	type StartedDaemonContainer,
} from '../lab/lab.js';
import {glyphColumn, TmuxSession} from '../lab/tmux.js';

/**
 * What a user made inside a sandbox dockerception created (containers without its labels,
 * images built there) is not lost to `prune`, `d` or `m` without a word: prune keeps that
 * sandbox and says why, d counts what goes with the volume, and m keeps the old sandbox until
 * the new one runs.
 */

const run = promisify(execFile);
const cli = 'dist/bin/cli.js';
const prune = () => run('node', [cli, 'prune', '--yes'], {env: {...process.env, DOCKER_HOST: labHost()}, timeout: 120_000});
const statusLine = (screen: string) =>
	screen
		.split('\n')
		.filter((line) => line.trim() !== '')
		.at(-1) ?? '';
const names = ['keeper', 'empty-sbx', 'remake-host', 'with-data'];

describe.skipIf(e2eSkipped)('what the user made inside a sandbox', () => {
	let host: DaemonClient;
	let keeper: StartedDaemonContainer;
	let ui: TmuxSession;
	const opened: DaemonClient[] = [];

	/** The TUI on the lab, started by the first test that needs it. */
	function tui(): TmuxSession {
		ui ??= new TmuxSession(`node ${cli}`, {diagnostics: labLogTail, env: {DOCKER_HOST: labHost(), LANG: 'C.UTF-8'}, columns: 160, rows: 45});
		return ui;
	}

	/** Select a row by a unique name: filter to it, jump to it, clear the filter. */
	async function select(name: string, path: string) {
		ui.keys('/');
		ui.type(name);
		ui.keys('Enter');
		await ui.waitFor((screen) => screen.includes(`filter "${name}"`), 5000, `the filter ${name}`);
		ui.keys('G');
		ui.keys('Escape');
		await ui.waitFor((screen) => statusLine(screen).startsWith(` ${path} `) && !screen.includes('filter "'), 5000, `${path} selected`);
	}

	beforeAll(async () => {
		host = labClient();
		await removeContainers(host, names);
		let empty: StartedDaemonContainer;
		[keeper, empty] = await Promise.all([startDind(host, 'keeper'), startDind(host, 'empty-sbx')]);
		opened.push(keeper.client, empty.client);
		// The user's own, made with the docker CLI inside: a container, and an image built from it.
		const own = await keeper.client.docker.createContainer({Image: offlineImages.busybox, name: 'users-own', Cmd: ['sleep', '86400']});
		await own.start();
		await own.commit({repo: 'users-build', tag: '1'});
	}, 300_000);

	afterAll(async () => {
		ui?.kill();
		for (const client of opened) client.close();
		if (host) await removeContainers(host, names);
		host?.close();
	});

	it('prune keeps a sandbox whose daemon holds a container and an image of the user, names them, and removes the rest', async () => {
		const {stdout} = await prune();
		expect(stdout).toMatch(/^ {2}default\/keeper\s+dind\s+running \(kept\)$/m);
		expect(stdout).toMatch(
			/^kept default\/keeper: its daemon holds 1 container \(users-own\) and 1 image found nowhere else that dockerception did not make; remove it anyway with d in dockerception$/m,
		);
		expect(stdout).toMatch(/^removed default\/empty-sbx$/m);
		expect(stdout).not.toMatch(/^removed default\/keeper$/m);
		await expect(host.docker.getContainer('empty-sbx').inspect()).rejects.toMatchObject({statusCode: 404});
		expect((await host.docker.getContainer('keeper').inspect()).State.Running).toBe(true);
		expect((await keeper.client.docker.getContainer('users-own').inspect()).State.Running).toBe(true);
		expect((await keeper.client.docker.getImage('users-build:1').inspect()).Id).toMatch(/^sha256:/);
	}, 180_000);

	it('prune keeps a stopped sandbox: what its volume holds is not known', async () => {
		await host.docker.getContainer('keeper').stop({t: 1});
		const {stdout} = await prune();
		expect(stdout).toMatch(
			/^kept default\/keeper: what its daemon holds is not known \(default\/keeper: [^)]+\); start it and prune again; remove it anyway with d in dockerception$/m,
		);
		expect((await host.docker.getContainer('keeper').inspect()).State.Status).toBe('exited');
		await host.docker.getContainer('keeper').start();
		await waitForDaemon(keeper.client);
		expect((await keeper.client.docker.getImage('users-build:1').inspect()).Id).toMatch(/^sha256:/);
	}, 180_000);

	it('d says how many containers and images go with a DinD and its volume; a plain container keeps its volume, as with docker rm -f', async () => {
		tui();
		await ui.waitFor((screen) => /keeper\s+DinD\s+20\.10\.24 · 1 ctr/.test(screen), 30_000, 'keeper and its daemon in the tree');
		await select('keeper', 'default/keeper');
		ui.keys('d');
		// busybox, copied in, and the image built there: 2 images.
		await ui.waitFor(
			(screen) =>
				screen.includes('Remove default/keeper?') && screen.includes('its daemon and its volume go with it: 1 container and 2 images inside will be lost'),
			5000,
			'the confirmation with the counts',
		);
		ui.keys('n');
		await ui.waitFor((screen) => statusLine(screen).includes('kept it'), 5000, 'kept');
		expect((await host.docker.getContainer('keeper').inspect()).State.Running).toBe(true);
		const volume = (await host.docker.getContainer('keeper').inspect()).Mounts.find((mount) => mount.Destination === '/var/lib/docker')!.Name!;
		ui.keys('d');
		await ui.waitFor((screen) => screen.includes('1 container and 2 images inside will be lost'), 5000, 'the confirmation again');
		ui.keys('y');
		await ui.waitFor((screen) => statusLine(screen).includes('default/keeper removed'), 60_000, 'keeper removed');
		await expect(host.docker.getContainer('keeper').inspect()).rejects.toMatchObject({statusCode: 404});
		await expect(host.docker.getVolume(volume).inspect()).rejects.toMatchObject({statusCode: 404});

		// Someone else's container with an anonymous volume: the container goes, the volume stays.
		const withData = await host.docker.createContainer({Image: offlineImages.busybox, name: 'with-data', Cmd: ['sleep', '86400'], Volumes: {'/data': {}}});
		await withData.start();
		const data = (await withData.inspect()).Mounts.find((mount) => mount.Destination === '/data')!.Name!;
		await ui.waitFor((screen) => glyphColumn(screen, 'with-data') >= 0, 10_000, 'with-data in the tree');
		await select('with-data', 'default/with-data');
		ui.keys('d');
		await ui.waitFor(
			(screen) => screen.includes('Remove default/with-data?') && screen.includes('its volume stays (as with docker rm -f)'),
			5000,
			'the confirmation saying the volume stays',
		);
		ui.keys('y');
		await ui.waitFor((screen) => statusLine(screen).includes('default/with-data removed'), 30_000, 'with-data removed');
		await expect(withData.inspect()).rejects.toMatchObject({statusCode: 404});
		expect((await host.docker.getVolume(data).inspect()).Name).toBe(data);
		await host.docker.getVolume(data).remove();
	}, 180_000);

	describe('m on a socket sandbox (recreate it as DinD)', () => {
		let inner: DaemonClient;
		const path = (name: string) => `default/remake-host/${name}`;

		beforeAll(async () => {
			const remakeHost = await startDind(host, 'remake-host');
			opened.push(remakeHost.client);
			inner = remakeHost.client;
			// Socket sandboxes as dockerception makes them where docker:cli is (here: busybox under that name).
			await inner.docker.getImage(offlineImages.busybox).tag({repo: 'docker', tag: 'cli'});
		}, 180_000);

		/** A socket sandbox made on remake-host, selected in the TUI. */
		async function socketSandbox(name: string) {
			const socket = await spawnSandbox(inner, {mode: 'socket', name, daemonSocket: '/var/run/docker.sock'});
			expect(socket.image).toBe('docker:cli');
			const shares = new RegExp(`${name}\\s+socket\\s+⇢ shares default/remake-host`);
			await tui().waitFor((screen) => shares.test(screen), 30_000, `${name} sharing remake-host`);
			await select(name, path(name));
			return socket;
		}

		/** m, y: the status line once the recreate has ended, one way or the other. */
		async function recreate(name: string, timeoutMs: number): Promise<string> {
			const before = statusLine(ui.screen());
			ui.keys('m');
			await ui.waitFor((screen) => screen.includes(`Recreate ${path(name)} as DinD?`), 10_000, 'the recreate question');
			ui.keys('y');
			const ended = (line: string) => line !== before && (line.includes(`recreate ${path(name)}: `) || line.includes(`${path(name)} is now`));
			await ui.waitFor((screen) => ended(statusLine(screen)), timeoutMs, `the recreate of ${name} ended`);
			return statusLine(ui.screen());
		}

		it('keeps the old sandbox when the new one cannot be made, or when its daemon never answers', async () => {
			const socket = await socketSandbox('sock-r');
			const stillThere = async () => {
				const info = await inner.docker.getContainer('sock-r').inspect();
				expect(info.Id).toBe(socket.id);
				expect(info.State.Running).toBe(true);
				const listed = await inner.docker.listContainers({all: true});
				expect(listed.map((container) => container.Names[0])).toEqual(['/sock-r']);
			};

			// No DinD image on that daemon, none to pull offline: the create fails.
			const noImage = await recreate('sock-r', 90_000);
			await stillThere();
			expect(noImage).toContain(`recreate ${path('sock-r')}: the old one is kept: no DinD image`);

			// An image that says dind but runs no daemon: the new container exits, its daemon never answers.
			await inner.docker.getImage(offlineImages.busybox).tag({repo: 'broken-dind', tag: '1'});
			try {
				const noDaemon = await recreate('sock-r', 120_000);
				await stillThere();
				expect(noDaemon).toContain(`recreate ${path('sock-r')}: the old one is kept: the new dind sandbox did not come up`);
			} finally {
				await inner.docker.getImage('broken-dind:1').remove();
				await removeContainers(inner, ['sock-r']);
			}
		}, 300_000);

		it('takes a DinD image, not the docker:cli of the socket sandbox, and its daemon answers', async () => {
			await copyImage(host, inner, offlineImages.dind);
			const socket = await socketSandbox('sock-d');
			expect(await recreate('sock-d', 120_000)).toContain(`${path('sock-d')} is now DinD`);
			await ui.waitFor((screen) => /sock-d\s+DinD\s+20\.10\.24/.test(screen), 60_000, 'sock-d with a daemon of its own');
			const info = await inner.docker.getContainer('sock-d').inspect();
			expect(info.Id).not.toBe(socket.id);
			expect(info.Config.Image).toBe(offlineImages.dind);
			expect(info.Config.Labels).toMatchObject({'io.dockerception.managed': 'true', 'io.dockerception.mode': 'dind'});
			// The new one took the old one's name; nothing else is left on that daemon.
			expect((await inner.docker.listContainers({all: true})).map((container) => container.Names[0])).toEqual(['/sock-d']);
		}, 300_000);
	});
});
