import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonClient} from '../../source/daemon/client.js';
import {spawnSandbox} from '../../source/daemon/sandbox-containers.js';
import {e2eSkipped, labClient, labHost, labLogTail, labSocketPath, offlineImages, removeContainers, runBusybox} from '../lab/lab.js';
import {labLabels} from '../lab/names.js';
import {TmuxSession} from '../lab/tmux.js';

/** `dockerception prune` at a terminal, without --yes: it lists, asks, and removes only on "y". */
describe.skipIf(e2eSkipped)('prune asks at a terminal', () => {
	let host: DaemonClient;
	const sessions: TmuxSession[] = [];
	const names = ['prune-sock', 'prune-plain', 'prune-keep'];

	const exists = async (name: string) =>
		host.docker
			.getContainer(name)
			.inspect()
			.then(
				() => true,
				(error: {statusCode?: number}) => {
					if (error.statusCode === 404) return false;
					throw error;
				},
			);

	/** prune in a terminal, answered with `answer` once it asks; the screen when it has exited. */
	async function prune(answer: string): Promise<string> {
		const session = new TmuxSession('node dist/bin/cli.js prune', {
			diagnostics: labLogTail,
			env: {DOCKER_HOST: labHost(), LANG: 'C.UTF-8'},
			columns: 120,
			rows: 40,
		});
		sessions.push(session);
		await session.waitFor((screen) => /remove \d+ sandbox(es)?\? \[y\/N\]$/m.test(screen), 30_000, 'the question');
		// Asked, and nothing removed while it waits for the answer.
		expect(await exists('prune-sock')).toBe(true);
		expect(await exists('prune-plain')).toBe(true);
		if (answer) session.type(answer);
		session.keys('Enter');
		await session.waitFor((screen) => /EXIT=\d+/.test(screen), 60_000, 'prune done');
		return session.screen();
	}

	beforeAll(async () => {
		host = labClient();
		await removeContainers(host, names);
		await spawnSandbox(host, {mode: 'socket', name: 'prune-sock', daemonSocket: labSocketPath(), labels: labLabels});
		await runBusybox(host, 'prune-plain');
		// Not made by dockerception: no managed label.
		const keep = await host.docker.createContainer({Image: offlineImages.busybox, name: 'prune-keep', Cmd: ['sleep', '86400'], Labels: labLabels});
		await keep.start();
	});

	afterAll(async () => {
		for (const session of sessions) session.kill();
		if (host) await removeContainers(host, names);
		host?.close();
	});

	it.each([
		['n', 'n'],
		['enter alone', ''],
	])('%s keeps every sandbox', async (_, answer) => {
		const screen = await prune(answer);
		expect(screen).toMatch(/sandboxes created by dockerception \(\d+\):/);
		expect(screen).toMatch(/default\/prune-sock\s+socket\s+running/);
		expect(screen).toMatch(/default\/prune-plain\s+plain\s+running/);
		expect(screen).not.toContain('prune-keep');
		expect(screen).toContain('nothing removed');
		expect(screen).toContain('EXIT=0');
		expect(await exists('prune-sock')).toBe(true);
		expect(await exists('prune-plain')).toBe(true);
	});

	it('y removes the sandboxes it listed, and only those', async () => {
		const screen = await prune('y');
		expect(screen).toMatch(/removed default\/prune-sock/);
		expect(screen).toMatch(/removed default\/prune-plain/);
		expect(screen).toContain('EXIT=0');
		expect(await exists('prune-sock')).toBe(false);
		expect(await exists('prune-plain')).toBe(false);
		expect(await exists('prune-keep')).toBe(true);
	});
});
