import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonClient} from '../../source/daemon/client.js';
import type {JsonDaemon} from '../../source/output/json-snapshot.js';
import {e2eSkipped, labClient, labHost, removeContainers, runBusybox, startDind} from '../lab/lab.js';
import {cliTerminal, groupSeat, runAsSeat, runCli, seatHost} from '../lab/seat.js';
import {glyphColumn} from '../lab/tmux.js';

/**
 * The docker-group seat itself (only in the e2e-group project): a user who is not root, in the
 * group that owns the lab daemon's socket, with no /proc route, so every nested daemon is reached
 * through an exec tunnel; and what needs root (the private `--sandbox` dockerd) says so in one line.
 */

type Failed = {code: number; stdout: string; stderr: string};
const outcome = (run: Promise<{stdout: string; stderr: string}>) =>
	run.then(
		(result) => ({code: 0, ...result}),
		(error: Failed) => error,
	);

describe.skipIf(e2eSkipped || !groupSeat)('the docker-group seat', () => {
	let host: DaemonClient;

	beforeAll(async () => {
		host = labClient();
		await removeContainers(host, ['seat-dind']);
		const dind = await startDind(host, 'seat-dind');
		await runBusybox(dind.client, 'seat-inner');
		dind.client.close();
	}, 240_000);

	afterAll(async () => {
		if (host) await removeContainers(host, ['seat-dind']);
		host?.close();
	});

	it('is a user who is not root, in the group of the lab socket, and cannot reach root-only paths', async () => {
		const {stdout: uid} = await runAsSeat('id', ['-u']);
		expect(Number(uid.trim())).toBeGreaterThan(0);
		const {stdout: groups} = await runAsSeat('id', ['-nG']);
		expect(groups.trim().split(/\s+/)).toContain('dockerception-lab');
		expect(seatHost()).not.toBe(labHost());
		// The lab's first socket is under root's home: out of this user's reach.
		const root = await outcome(runCli(['--json'], {env: {DOCKER_HOST: labHost()}}));
		expect(root.code).toBe(1);
		expect(root.stderr.trim().split('\n')).toHaveLength(1);
		expect(root.stderr).toMatch(/permission denied on .*docker\.sock/);
	});

	it('reaches a nested daemon through an exec tunnel without being asked (--json route, the tree row)', async () => {
		const {stdout} = await runCli(['--json']);
		const root = (JSON.parse(stdout) as {roots: JsonDaemon[]}).roots[0]!;
		expect(root.route).not.toMatch(/\/proc\//);
		const dind = root.containers.find((container) => container.name === 'seat-dind')!;
		expect(dind.daemon).toMatchObject({status: 'ready', route: 'exec tunnel via default/seat-dind'});
		expect(dind.daemon!.containers.map((container) => container.name)).toEqual(['seat-inner']);

		const ui = cliTerminal('', {env: {LANG: 'C.UTF-8'}, columns: 160, rows: 30});
		try {
			await ui.waitFor((screen) => glyphColumn(screen, 'seat-inner') >= 0, 20_000, 'seat-inner');
			expect(ui.screen()).toMatch(/seat-dind\s+DinD\s+20\.10\.24 · 1 ctr · tunnel/);
		} finally {
			ui.kill();
		}
	});

	it('--sandbox says in one line that it needs root, and starts nothing', async () => {
		const json = await outcome(runCli(['--sandbox', '--json']));
		expect(json.code).toBe(1);
		expect(json.stdout).toBe('');
		expect(json.stderr.trim().split('\n')).toEqual(['dockerception: a sandbox runs its own dockerd, which needs root: run dockerception --sandbox with sudo']);

		const ui = cliTerminal('--sandbox --demo', {env: {LANG: 'C.UTF-8'}, columns: 160, rows: 30});
		try {
			await ui.waitFor((screen) => screen.includes('EXIT='), 15_000, 'the exit');
			const screen = ui.screen();
			expect(screen).toContain('EXIT=1');
			expect(screen.split('\n').filter((line) => line.startsWith('dockerception:'))).toEqual([
				'dockerception: a sandbox runs its own dockerd, which needs root: run dockerception --sandbox with sudo',
			]);
			expect(ui.display('#{alternate_on}')).toBe('0');
		} finally {
			ui.kill();
		}
	});

	it('with no daemon reachable, the TUI says why a sandbox is not on offer', async () => {
		const ui = cliTerminal('', {env: {LANG: 'C.UTF-8', DOCKER_HOST: 'unix:///nonexistent/docker.sock'}, columns: 160, rows: 30});
		try {
			await ui.waitFor((screen) => screen.includes('No Docker daemon reachable'), 15_000, 'the no-daemon screen');
			await ui.waitFor((screen) => screen.includes('(--sandbox): a sandbox runs its own dockerd, which needs root'), 5000, 'why there is no sandbox');
			expect(ui.screen()).not.toContain('S starts a private sandbox');
			ui.keys('q');
			await ui.waitFor((screen) => screen.includes('EXIT='), 10_000, 'the exit');
		} finally {
			ui.kill();
		}
	});
});
