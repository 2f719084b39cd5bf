import {execFile, spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {request} from 'node:http';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonClient} from '../../source/daemon/client.js';
import {
	e2eSkipped,
	labClient,
	labHost,
	labSocketPath,
	offlineImages,
	removeContainers,
	runBusybox,
	startDind,
	waitForDaemon,
	type StartedDaemonContainer,
} from '../lab/lab.js';
import {labLabels} from '../lab/names.js';
import {startDindContainer} from '../../source/daemon/dind-container.js';
import {copyImage} from '../../source/daemon/image-copy.js';
import {eventually} from '../lab/live.js';
import {TmuxSession} from '../lab/tmux.js';

/**
 * A container controls every path under its /proc/PID/root. One that answers on its own socket
 * first and then swaps its /run for an absolute link to a socket of the host's must not steer
 * dockerception there: what was checked is held open. And a forward serves the daemon it was
 * started for, not whatever answers at its path later.
 */

const run = promisify(execFile);

/** GET /info over a unix socket path as the kernel resolves it now (what the old code did). */
function infoAt(socketPath: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const req = request({socketPath, path: '/info'}, (response) => {
			let body = '';
			response.on('data', (chunk: Buffer) => (body += chunk.toString()));
			response.on('end', () => resolve(String((JSON.parse(body) as {ID?: string}).ID)));
		});
		req.on('error', reject);
		req.end();
	});
}

function startForward(
	env: NodeJS.ProcessEnv,
	path: string,
): {child: ChildProcess; host: Promise<string>; exited: Promise<number | null>; stderr: () => string} {
	const child = spawn('node', ['dist/bin/cli.js', 'forward', path], {env, stdio: ['ignore', 'pipe', 'pipe']});
	let out = '';
	let err = '';
	child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
	const host = new Promise<string>((resolve, reject) => {
		child.stdout!.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			const line = /^export DOCKER_HOST=(unix:\/\/\S+)$/m.exec(out);
			if (line) resolve(line[1]!);
		});
		child.once('exit', (code) => reject(new Error(`forward exited (${code}) before it served: ${err}`)));
	});
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	return {child, host, exited, stderr: () => err};
}

describe.skipIf(e2eSkipped)('routes pinned to what was checked', () => {
	let host: DaemonClient;
	let dind: StartedDaemonContainer;
	let hostId: string;
	const runtimeDir = mkdtempSync(join(tmpdir(), 'dcpt-runtime-'));
	const env = () => ({...process.env, DOCKER_HOST: labHost(), XDG_RUNTIME_DIR: runtimeDir});

	beforeAll(async () => {
		host = labClient();
		hostId = String((await host.docker.info()).ID);
		await removeContainers(host, ['pin-swap', 'pin-replaced']);
		// dockerd on /var/run/docker.sock in a /var/run of its own (the image links it to /run):
		// a directory the container can later rename (overlayfs renames only what it made itself).
		const started = await startDindContainer(host.docker, {
			image: offlineImages.dind,
			name: 'pin-swap',
			labels: labLabels,
			cmd: ['sh', '-c', 'rm /var/run && mkdir /var/run && exec dockerd --host=unix:///var/run/docker.sock'],
		});
		const client = host.tunnelTo(started.id, 'exec tunnel via pin-swap', 30_000);
		await waitForDaemon(client);
		await copyImage(host, client, offlineImages.busybox);
		dind = {...started, client};
		await runBusybox(dind.client, 'pin-box');
	}, 240_000);

	afterAll(async () => {
		dind?.client.close();
		if (host) await removeContainers(host, ['pin-swap', 'pin-replaced']);
		host?.close();
		rmSync(runtimeDir, {recursive: true, force: true});
	});

	it('a DinD that swaps its /run for a link to the host socket after the first connection: the forward still reaches only its own daemon', async () => {
		const forward = startForward(env(), 'default/pin-swap');
		try {
			const dockerHost = await forward.host;
			const docker = (...args: string[]) => run('docker', ['-H', dockerHost, ...args], {timeout: 30_000});
			expect((await docker('ps', '--format', '{{.Names}}')).stdout.trim()).toBe('pin-box');

			// The swap: /var/run becomes an absolute link to the directory of the lab host's socket.
			const pid = (await host.docker.getContainer('pin-swap').inspect()).State.Pid;
			await run('docker', ['-H', labHost(), 'exec', 'pin-swap', 'sh', '-c', `mv /var/run /var/run.old && ln -s ${dirname(labSocketPath())} /var/run`]);
			// By path, the kernel now leads to the host's daemon: the attack is real.
			expect(await infoAt(`/proc/${pid}/root/var/run/docker.sock`)).toBe(hostId);

			// New connections through the forward (each docker command opens its own) still reach the DinD.
			for (let attempt = 0; attempt < 3; attempt++) {
				const names = (await docker('ps', '-a', '--format', '{{.Names}}')).stdout.trim();
				expect(names).toBe('pin-box');
			}
			const said = JSON.parse((await docker('info', '--format', '{{json .ID}}')).stdout) as string;
			expect(said).not.toBe(hostId);
		} finally {
			forward.child.kill('SIGINT');
			await forward.exited;
		}
		// A fresh walk finds no socket of the DinD's own any more: unreachable, never the host's containers below it.
		const tree = JSON.parse((await run('node', ['dist/bin/cli.js', '--json', '--timeout', '3'], {env: env(), timeout: 60_000})).stdout) as {
			roots: {containers: {name: string; daemon?: {id?: string; status: string; containers: {name: string}[]}}[]}[];
		};
		const swapped = tree.roots[0]!.containers.find((c) => c.name === 'pin-swap')!;
		expect(swapped.daemon?.id).not.toBe(hostId);
		expect(swapped.daemon?.containers.map((c) => c.name) ?? []).not.toContain('pin-swap');
	}, 180_000);

	it('a forward from the TUI ends with one line when the container at its path is replaced by another daemon', async () => {
		const replaced = await startDind(host, 'pin-replaced', [offlineImages.busybox]);
		await runBusybox(replaced.client, 'first-box');
		replaced.client.close();
		const ui = new TmuxSession('node dist/bin/cli.js', {env: {DOCKER_HOST: labHost(), LANG: 'C.UTF-8', XDG_RUNTIME_DIR: runtimeDir}, columns: 200, rows: 40});
		try {
			await ui.waitFor((screen) => screen.includes('first-box'), 30_000, 'first-box');
			ui.type('/pin-replaced');
			ui.keys('Enter');
			ui.keys('G');
			await ui.waitFor((screen) => /┌─ pin-replaced ─/.test(screen), 5000, 'pin-replaced selected');
			ui.keys('f');
			await ui.waitFor((screen) => /pin-replaced forwarded: export DOCKER_HOST=unix:\/\/\S+/.test(screen), 15_000, 'the forward started');
			const socket = /forwarded: export DOCKER_HOST=unix:\/\/(\S+\.sock)/.exec(ui.screen())![1]!;
			const ps = () => run('docker', ['-H', `unix://${socket}`, 'ps', '--format', '{{.Names}}'], {timeout: 30_000});
			expect((await ps()).stdout.trim()).toBe('first-box');

			// Another DinD under the same name: the tree follows it, the forward must not.
			await removeContainers(host, ['pin-replaced']);
			const second = await startDind(host, 'pin-replaced', [offlineImages.busybox]);
			await runBusybox(second.client, 'second-box');
			second.client.close();
			// Each docker command through the forward is refused until the tree has reached the new
			// daemon; the first one after that ends the forward.
			const served: string[] = [];
			await eventually(
				async () => {
					await ps().then(
						({stdout}) => served.push(stdout.trim()),
						() => {},
					);
					return ui.screen().includes('forward of default/pin-replaced ended: the daemon there is another one now');
				},
				90_000,
				'the forward ended',
			);
			expect(served.filter((names) => names !== 'first-box')).toEqual([]);
			await expect(ps()).rejects.toThrow();
			expect(existsSync(socket)).toBe(false);
		} finally {
			ui.kill();
		}
	}, 240_000);
});
