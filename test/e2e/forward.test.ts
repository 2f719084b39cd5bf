import type {ChildProcess} from 'node:child_process';
import {existsSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonClient} from '../../source/daemon/client.js';
import {e2eSkipped, labClient, offlineImages, removeContainers, runBusybox, startDind, type StartedDaemonContainer} from '../lab/lab.js';
import {eventually} from '../lab/live.js';
import {cliTerminal, groupSeat, runAsSeat, runCli, seatTempDir, seatTerminal, seatUser, spawnAsSeat, spawnCli} from '../lab/seat.js';

/**
 * `dockerception forward` of a daemon two levels down, then the real docker CLI through the
 * socket: ps, run --rm, build, logs -f and exec -it (in a terminal). On both routes: the /proc
 * socket, and exec tunnels through each level (--tunnel-only).
 */

const path = 'default/fw-outer/fw-inner';

function startForward(runtimeDir: string, extra: string[] = []): {child: ChildProcess; host: Promise<string>; exited: Promise<number | null>} {
	const child = spawnCli([...extra, 'forward', path], {env: {XDG_RUNTIME_DIR: runtimeDir}, stdio: ['ignore', 'pipe', 'pipe']});
	let out = '';
	const host = new Promise<string>((resolve, reject) => {
		child.stdout!.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			const line = /^export DOCKER_HOST=(unix:\/\/\S+)$/m.exec(out);
			if (line) resolve(line[1]!);
		});
		child.once('exit', (code) => reject(new Error(`forward exited (${code}) before it served: ${out}`)));
	});
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	return {child, host, exited};
}

describe.skipIf(e2eSkipped)('forward: a nested daemon for your own tools', () => {
	let host: DaemonClient;
	let outer: StartedDaemonContainer;
	let inner: StartedDaemonContainer;
	const runtimeDir = seatTempDir('dcpt-runtime-');

	beforeAll(async () => {
		host = labClient();
		await removeContainers(host, ['fw-outer']);
		outer = await startDind(host, 'fw-outer', [offlineImages.busybox, offlineImages.dind]);
		inner = await startDind(outer.client, 'fw-inner', [offlineImages.busybox]);
		await runBusybox(inner.client, 'fw-box');
	}, 240_000);

	afterAll(async () => {
		inner?.client.close();
		outer?.client.close();
		if (host) await removeContainers(host, ['fw-outer']);
		host?.close();
		rmSync(runtimeDir, {recursive: true, force: true});
	});

	// The docker-group seat has no /proc route: its forward finds the tunnels by itself.
	for (const tunnelOnly of groupSeat ? [false] : [false, true]) {
		it(`the docker CLI works through it (${tunnelOnly || groupSeat ? 'exec tunnels' : '/proc socket'})`, async () => {
			const forward = startForward(runtimeDir, tunnelOnly ? ['--tunnel-only'] : []);
			try {
				const dockerHost = await forward.host;
				const socket = dockerHost.replace('unix://', '');
				expect(statSync(socket).mode & 0o777).toBe(0o600);
				expect(statSync(dirname(socket)).mode & 0o777).toBe(0o700);
				if (groupSeat) expect(statSync(socket).uid).toBe(seatUser().uid);
				const docker = (...args: string[]) => runAsSeat('docker', ['-H', dockerHost, ...args], {timeout: 60_000});

				expect((await docker('ps', '--format', '{{.Names}}')).stdout.trim()).toBe('fw-box');
				expect((await docker('run', '--rm', offlineImages.busybox, 'echo', 'through-the-forward')).stdout.trim()).toBe('through-the-forward');

				const context = seatTempDir('dcpt-build-');
				writeFileSync(join(context, 'Dockerfile'), `FROM ${offlineImages.busybox}\nRUN echo built-${tunnelOnly} > /built\n`);
				await docker('build', '-q', '-t', 'fw-built:1', context);
				rmSync(context, {recursive: true, force: true});
				expect((await docker('run', '--rm', 'fw-built:1', 'cat', '/built')).stdout.trim()).toBe(`built-${tunnelOnly}`);

				// logs -f follows: the lines arrive while the container still runs.
				await docker('rm', '-f', 'fw-talker').catch(() => {});
				await docker('run', '-d', '--name', 'fw-talker', offlineImages.busybox, 'sh', '-c', 'for i in 1 2 3; do echo line-$i; sleep 1; done; sleep 600');
				const follow = spawnAsSeat('docker', ['-H', dockerHost, 'logs', '-f', 'fw-talker'], {stdio: ['ignore', 'pipe', 'ignore']});
				let followed = '';
				follow.stdout!.on('data', (chunk: Buffer) => (followed += chunk.toString()));
				await eventually(() => followed.includes('line-3'), 15_000, 'line-3 followed');
				expect(follow.exitCode).toBeNull();
				follow.kill();
				await docker('rm', '-f', 'fw-talker');

				// exec -it in a real terminal.
				const hostname = (await docker('inspect', '-f', '{{.Config.Hostname}}', 'fw-box')).stdout.trim();
				const terminal = seatTerminal(`docker -H ${dockerHost} exec -it fw-box sh`, {columns: 100, rows: 20});
				try {
					await terminal.waitFor((screen) => screen.includes('#'), 15_000, 'the shell prompt');
					terminal.type('hostname');
					terminal.keys('Enter');
					await terminal.waitFor((screen) => screen.split('\n').some((line) => line.trim() === hostname), 10_000, `the hostname ${hostname}`);
					terminal.type('exit');
					terminal.keys('Enter');
					await terminal.waitFor((screen) => screen.includes('EXIT=0'), 10_000, 'exec ended');
				} finally {
					terminal.kill();
				}

				// A second forward of the same daemon reuses the first.
				const again = await runCli(['forward', path], {env: {XDG_RUNTIME_DIR: runtimeDir}});
				expect(again.stdout.trim()).toBe(`export DOCKER_HOST=${dockerHost}`);
				expect(again.stderr).toContain('already forwarded');

				forward.child.kill('SIGINT');
				expect(await forward.exited).toBe(0);
				expect(existsSync(socket)).toBe(false);
			} finally {
				forward.child.kill('SIGKILL');
			}
		}, 180_000);
	}

	it('f in the TUI starts and stops a forward; quitting ends it', async () => {
		const ui = cliTerminal('', {env: {LANG: 'C.UTF-8', XDG_RUNTIME_DIR: runtimeDir}, columns: 200, rows: 40});
		try {
			// Its daemon answering (its version on the row), not only its container listed: f needs it.
			await ui.waitFor((screen) => /fw-inner\s+DinD\s+20\.10\.24/.test(screen), 20_000, 'fw-inner and its daemon');
			ui.type('/fw-inner');
			ui.keys('Enter');
			ui.keys('G');
			await ui.waitFor((screen) => /┌─ fw-inner ─/.test(screen), 5000, 'fw-inner selected');
			ui.keys('f');
			await ui.waitFor((screen) => /default\/fw-outer\/fw-inner forwarded: export DOCKER_HOST=unix:\/\/\S+/.test(screen), 15_000, 'the forward started');
			const socket = /forwarded: export DOCKER_HOST=unix:\/\/(\S+\.sock)/.exec(ui.screen())![1]!;
			expect(socket.startsWith(join(runtimeDir, 'dockerception', 'default.fw-outer.fw-inner-'))).toBe(true);
			expect(ui.screen()).toContain(`DOCKER_HOST=unix://${socket}`);
			expect((await runAsSeat('docker', ['-H', `unix://${socket}`, 'ps', '--format', '{{.Names}}'])).stdout.trim()).toBe('fw-box');
			ui.keys('f');
			await ui.waitFor((screen) => screen.includes('forward of default/fw-outer/fw-inner stopped'), 10_000, 'the forward stopped');
			expect(existsSync(socket)).toBe(false);
			ui.keys('f');
			await ui.waitFor((screen) => screen.includes('fw-inner forwarded: export'), 15_000, 'the forward again');
			expect(existsSync(socket)).toBe(true);
			ui.keys('q');
			await ui.waitFor((screen) => screen.includes('EXIT=0'), 15_000, 'the exit');
			expect(existsSync(socket)).toBe(false);
		} finally {
			ui.kill();
		}
	}, 120_000);
});
