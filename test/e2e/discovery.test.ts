import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Explorer} from '../../source/daemon/explorer.js';
import type {JsonContainer, JsonDaemon} from '../../source/output/json-snapshot.js';
import {createTreeStore, type TreeStore} from '../../source/store/store.js';
import {named, until} from '../lab/live.js';
import {e2eSkipped, labHost, offlineImages, referenceNames, removeContainers, runBusybox, useReferenceTopology} from '../lab/lab.js';
import {formatBytes} from '../../source/output/bytes.js';
import {cliTerminal, groupSeat, runCli} from '../lab/seat.js';

const run = promisify(execFile);
const cli = 'dist/bin/cli.js';

/** Every container in a JSON snapshot with its depth (1 = on the host daemon). */
function flatten(daemon: JsonDaemon, depth = 1): Array<{container: JsonContainer; depth: number; daemon: string}> {
	return daemon.containers.flatMap((container) => [{container, depth, daemon: daemon.path}, ...(container.daemon ? flatten(container.daemon, depth + 1) : [])]);
}

async function snapshotJson(...flags: string[]): Promise<{roots: JsonDaemon[]}> {
	const {stdout} = await runCli(['--json', ...flags]);
	return JSON.parse(stdout) as {roots: JsonDaemon[]};
}

/**
 * What the group seat would only repeat (the in-process model, bad endpoints): not registered
 * there at all, so no test of it is reported as skipped (CI counts a skip as a failure).
 */
function rootSeatOnly(name: string, body: () => void): void {
	if (!groupSeat) describe(name, body);
}

describe.skipIf(e2eSkipped)('discovery on the lab topology', () => {
	const lab = useReferenceTopology();

	// The docker-group seat has no /proc route: it must find the tunnels by itself.
	for (const mode of [groupSeat ? 'no /proc route: exec tunnels' : 'the /proc shortcut', 'exec tunnels only']) {
		it(`--json puts every container at its depth with its kind (${mode})`, async () => {
			const flags = mode === 'exec tunnels only' ? ['--tunnel-only'] : [];
			const {roots} = await snapshotJson(...flags);
			expect(roots).toHaveLength(1);
			const all = flatten(roots[0]!);
			const byName = new Map(all.map((entry) => [entry.container.name, entry]));
			// Nothing listed twice: 17 containers, 17 distinct ids.
			expect(all).toHaveLength(17);
			expect(new Set(all.map((entry) => entry.container.id)).size).toBe(17);
			for (const name of referenceNames.host) expect(byName.get(name)?.depth, name).toBe(1);
			for (const name of [...referenceNames.dindA, ...referenceNames.dindB]) expect(byName.get(name)?.depth, name).toBe(2);
			for (const name of referenceNames.dindB1) expect(byName.get(name)?.depth, name).toBe(3);
			expect(byName.get('dind-b1')?.daemon).toBe('default/dind-b');
			expect(byName.get('inner-c1')?.daemon).toBe('default/dind-b/dind-b1');

			for (const name of ['dind-a', 'dind-b', 'dind-b1']) {
				const entry = byName.get(name)!.container;
				expect(entry.kind, name).toBe('dind');
				expect(entry.daemon?.status, name).toBe('ready');
				expect(entry.daemon?.os, name).toContain('(containerized)');
			}
			expect(byName.get('dind-b')!.container.daemon!.route).toMatch(
				mode === 'the /proc shortcut' ? /^unix socket \/proc\/\d+\/root\/run\/docker\.sock$/ : /^exec tunnel via default\/dind-b$/,
			);
			const dood = byName.get('dood')!.container;
			expect(dood.kind).toBe('socket');
			expect(dood.sharesDaemon).toBe('default');
			expect(dood.daemon).toBeUndefined();
			for (const name of ['plain-1', 'plain-2', 'inner-a1', 'inner-c3']) expect(byName.get(name)!.container.kind, name).toBe('plain');
			expect(byName.get('plain-3')!.container.state).toBe('exited');
			expect(byName.get('inner-c4')!.container.state).toBe('exited');
			// Distinct daemons: host, dind-a, dind-b, dind-b1.
			const ids = [roots[0]!.id, ...['dind-a', 'dind-b', 'dind-b1'].map((name) => byName.get(name)!.container.daemon!.id)];
			expect(new Set(ids).size).toBe(4);
		});
	}

	it("doctor reads each daemon's disk use and counts the images two daemons both keep", async () => {
		const {stdout} = await runCli(['doctor', '--no-color']).catch((error: {stdout: string}) => ({
			stdout: error.stdout,
		}));
		for (const path of ['default', 'default/dind-a', 'default/dind-b', 'default/dind-b/dind-b1']) {
			expect(stdout).toMatch(new RegExp(`^${path}  info  disk-usage: keeps .+: images .+, containers .+, volumes .+, build cache .+\\n    fix: .+`, 'm'));
		}
		// The lab copies busybox into each DinD: one image, as many copies as daemons.
		const busybox = (await lab.host.docker.getImage(offlineImages.busybox).inspect()) as {Size: number};
		const size = formatBytes(busybox.Size).replace('.', '\\.');
		expect(stdout).toMatch(
			new RegExp(`^default/dind-a  info  duplicate-images: 1 image \\(${size}\\) also stored in default, .+: ${offlineImages.busybox}$`, 'm'),
		);
		expect(stdout).toMatch(/^images stored in more than one daemon of the tree: .+ kept twice or more$/m);
	}, 60_000);

	it('the TUI reads disk use in the background and shows it in the details', async () => {
		const ui = cliTerminal('', {env: {LANG: 'C.UTF-8'}, columns: 160, rows: 45});
		try {
			// The root is selected at start; its disk use comes a few seconds after its first walk.
			await ui.waitFor((screen) => /· disk-usage: keeps [\d.]+ [KMG]?i?B: images/.test(screen), 20_000, 'disk use in the details');
		} finally {
			ui.kill();
		}
	}, 40_000);

	it('`tree` prints the same containers indented by depth', async () => {
		const {stdout} = await runCli(['tree', '--tunnel-only'], {env: {NO_COLOR: '1'}});
		const lines = stdout.split('\n');
		const indent = (name: string) => {
			const line = lines.find((l) => new RegExp(`[●○] ${name} `).test(l));
			expect(line, name).toBeDefined();
			return line!.search(/[●○◐✕]/);
		};
		expect(indent('inner-a1')).toBeGreaterThan(indent('dind-a'));
		expect(indent('inner-c1')).toBeGreaterThan(indent('dind-b1'));
		expect(indent('dind-b1')).toBeGreaterThan(indent('dind-b'));
		expect(stdout).toMatch(/dood .*shares default/);
		expect(stdout).not.toMatch(/\u001B\[/);
	});

	it('diff: the host against a DinD shows "(containerized)" and the same kernel; a daemon against itself is equal', async () => {
		const env = {NO_COLOR: '1'};
		const different = await runCli(['diff', 'default', 'default/dind-a'], {env}).then(
			() => ({code: 0, stdout: ''}),
			(error: {code: number; stdout: string}) => error,
		);
		expect(different.code).toBe(1);
		expect(different.stdout).toMatch(/OperatingSystem\s+Debian.*\(bookworm\)\s+Debian.*\(containerized\)/);
		expect(different.stdout).toContain('↳ one daemon runs inside a container');
		expect(different.stdout).toMatch(/same kernel \S+/);
		const json = await runCli(['diff', 'default', 'default/dind-b/dind-b1', '--json'], {env}).catch((error: {stdout: string}) => error);
		expect(JSON.parse(json.stdout).OperatingSystem.note).toContain('(containerized)');
		const same = await runCli(['diff', 'default/dind-b', 'default/dind-b'], {env});
		expect(same.stdout).toContain('no differences');
		expect(same.stdout).toContain('same daemon');
		const bad = await runCli(['diff', 'default', 'default/nope'], {env}).catch((error: {code: number; stderr: string}) => error);
		expect(bad.code).toBe(2);
		expect(bad.stderr).toMatch(/no container "nope" on default/);
	});

	// The library in this process (root's either way): once.
	rootSeatOnly('the live model (exec tunnels)', () => {
		let store: TreeStore;
		let explorer: Explorer;

		beforeAll(async () => {
			store = createTreeStore();
			explorer = new Explorer({
				endpoints: [{name: 'default', url: labHost(), source: 'lab', transport: {kind: 'unix', socketPath: labHost().slice(7)}}],
				timeoutMs: 3000,
				maxDepth: 4,
				dispatch: (a) => {
					if (process.env.DEBUG_LIVE && JSON.stringify(a).includes('dind-b1'))
						console.log(Date.now(), a.type, (a as {path?: string}).path ?? '', (a as {error?: string}).error ?? '');
					store.dispatch(a);
				},
				onError: (path, error) => process.env.DEBUG_LIVE && console.log('ERR', path, String(error)),
				tunnelsOnly: true,
			});
			explorer.start();
			await explorer.settled();
		});

		afterAll(() => explorer?.stop());

		it('shows containers started, stopped and removed at depth 2 and 3 within 2 s', async () => {
			const levels = [
				{client: lab.topology.dindB.client, path: 'default/dind-b'},
				{client: lab.topology.dindB1.client, path: 'default/dind-b/dind-b1'},
			];
			for (const {client, path} of levels) {
				await runBusybox(client, 'live-1');
				const appeared = await until(store, (t) => named(t, path, 'live-1')?.state === 'running', 2000, `live-1 running in ${path}`);
				await client.docker.getContainer('live-1').stop({t: 0});
				const stopped = await until(store, (t) => named(t, path, 'live-1')?.state === 'exited', 2000, `live-1 exited in ${path}`);
				await client.docker.getContainer('live-1').remove();
				const removed = await until(store, (t) => named(t, path, 'live-1') === undefined, 2000, `live-1 gone from ${path}`);
				console.log(`[live] ${path}: start ${appeared} ms, stop ${stopped} ms, remove ${removed} ms`);
			}
		});

		it('never brings back a container removed while it was being read (churn at depth 2)', async () => {
			const path = 'default/dind-b';
			const client = lab.topology.dindB.client;
			// Each runs `true` and is removed 0-75 ms after it exited: some removals land while the
			// refresh that its die event asked for is still on its way through the tunnel.
			const names = Array.from({length: 32}, (_, index) => `churn-${index}`);
			let index = 0;
			// Reconnecting (ctrl-r) meanwhile: a full listing on its way while containers come and go.
			let churning = true;
			const reconnects = (async () => {
				while (churning) {
					await explorer.refresh(path).catch(() => {});
					await new Promise((resolve) => setTimeout(resolve, 100));
				}
			})();
			await Promise.all(
				[0, 1, 2, 3].map(async (lane) => {
					while (index < names.length) {
						const name = names[index++]!;
						await runBusybox(client, name, {exited: true});
						await new Promise((resolve) => setTimeout(resolve, ((index + lane) % 16) * 5));
						await client.docker.getContainer(name).remove();
					}
				}),
			);
			churning = false;
			await reconnects;
			const settled = await until(store, (t) => names.every((name) => named(t, path, name) === undefined), 3000, 'every churn container gone');
			// From here on, a read that was on its way when its container went must not bring it back.
			const cameBack = new Set<string>();
			const unsubscribe = store.subscribe(() => {
				for (const name of names) if (named(store.getState(), path, name) !== undefined) cameBack.add(name);
			});
			try {
				// The reads the churn's events asked for were queued before this container's: once
				// the model has shown it come and go, they have had their turn.
				await runBusybox(client, 'churn-after');
				await until(store, (t) => named(t, path, 'churn-after')?.state === 'running', 5000, 'a container started after the churn');
				await client.docker.getContainer('churn-after').remove({force: true});
				await until(store, (t) => named(t, path, 'churn-after') === undefined, 5000, 'that container gone');
			} finally {
				unsubscribe();
				await removeContainers(client, ['churn-after']);
			}
			expect([...cameBack]).toEqual([]);
			expect(names.filter((name) => named(store.getState(), path, name) !== undefined)).toEqual([]);
			console.log(`[live] ${names.length} containers started and removed at once: all gone ${settled} ms after the last removal`);
		});

		it('marks the daemon of a killed DinD unreachable and brings its subtree back on restart', async () => {
			const path = 'default/dind-b/dind-b1';
			await lab.topology.dindB.client.docker.getContainer('dind-b1').kill();
			await until(store, (t) => t.daemons[path]?.status === 'unreachable', 2000, 'dind-b1 unreachable');
			expect(store.getState().daemons[path]!.containers).toEqual([]);
			await lab.topology.dindB.client.docker.getContainer('dind-b1').start();
			const back = await until(
				store,
				(t) => t.daemons[path]?.status === 'ready' && named(t, path, 'inner-c1') !== undefined,
				30_000,
				'dind-b1 back with inner-c1',
			);
			console.log(`[live] dind-b1 subtree back ${back} ms after restart`);
			// The inner containers were stopped with their daemon; a plain restart brings them back exited.
			expect(named(store.getState(), path, 'inner-c1')?.state).toBe('exited');
		});

		it('marks a paused DinD within the timeout while its siblings stay current', async () => {
			const paused = 'default/dind-a';
			await lab.host.docker.getContainer('dind-a').pause();
			try {
				const marked = await until(store, (t) => t.daemons[paused]?.status === 'unreachable', 3000, 'dind-a unreachable');
				expect(store.getState().daemons[paused]!.error).toMatch(/paused|timeout/);
				console.log(`[live] paused dind-a marked in ${marked} ms`);
				// A sibling daemon still follows changes.
				await runBusybox(lab.topology.dindB.client, 'sibling-live');
				await until(store, (t) => named(t, 'default/dind-b', 'sibling-live')?.state === 'running', 2000, 'sibling change seen');
			} finally {
				await lab.host.docker.getContainer('dind-a').unpause();
				await removeContainers(lab.topology.dindB.client, ['sibling-live']);
			}
			await until(store, (t) => t.daemons[paused]?.status === 'ready' && named(t, paused, 'inner-a1') !== undefined, 10_000, 'dind-a back');
		});

		it('leaves no exec sessions behind after 100 refreshes', async () => {
			// Only dockerception's tunnels should count: close the lab's own, and read dind-b1
			// through a fresh client whose single pooled tunnel is one exec in dind-b.
			lab.topology.close();
			const viaDindB = lab.host.tunnelTo('dind-b', 'count');
			const execCount = async () => {
				const inspected = await Promise.all([
					lab.host.docker.getContainer('dind-a').inspect(),
					lab.host.docker.getContainer('dind-b').inspect(),
					viaDindB.docker.getContainer('dind-b1').inspect(),
				]);
				return inspected.map((info) => info.ExecIDs?.length ?? 0);
			};
			try {
				for (let index = 0; index < 100; index++) await explorer.refresh('default');
				await explorer.settled();
				// An exec leaves ExecIDs when its process has exited, a moment after its tunnel
				// closed (longer on a busy machine): leftovers must be gone within a few seconds.
				const settle = async (within: (counts: number[]) => boolean) => {
					const deadline = Date.now() + 5000;
					let counts = await execCount();
					while (!within(counts) && Date.now() < deadline) {
						await new Promise((resolve) => setTimeout(resolve, 250));
						counts = await execCount();
					}
					return counts;
				};
				// Running: per daemon a pooled request tunnel and an event stream; dind-b also
				// carries dind-b1's two, and the counting client's one.
				const [a, b, b1] = await settle(([a, b, b1]) => a! <= 2 && b! <= 5 && b1! <= 2);
				expect(a).toBeLessThanOrEqual(2);
				expect(b).toBeLessThanOrEqual(5);
				expect(b1).toBeLessThanOrEqual(2);
				explorer.stop();
				expect(await settle(([a, b, b1]) => a === 0 && b === 1 && b1 === 0)).toEqual([0, 1, 0]);
			} finally {
				viaDindB.close();
			}
		});
	});
});

rootSeatOnly('bad endpoints', () => {
	const cases: Array<[string, RegExp, number]> = [
		['foo', /DOCKER_HOST "foo": no scheme/, 2],
		['tcp://', /DOCKER_HOST "tcp:\/\/": missing host/, 2],
		['unix:///nope.sock', /cannot reach the Docker daemon at unix:\/\/\/nope\.sock \(DOCKER_HOST\): no socket at \/nope\.sock/, 1],
		['tcp://127.0.0.1:1', /cannot reach .*tcp:\/\/127\.0\.0\.1:1.*connection refused/, 1],
		['gopher://x', /unsupported scheme "gopher"/, 2],
	];
	for (const [value, message, code] of cases) {
		it(`DOCKER_HOST=${value} gives one line and exit ${code}`, async () => {
			const result = await run('node', [cli, '--json'], {env: {...process.env, DOCKER_HOST: value}}).then(
				() => ({code: 0, stderr: ''}),
				(error: {code: number; stderr: string}) => error,
			);
			expect(result.code).toBe(code);
			expect(result.stderr.trim().split('\n')).toHaveLength(1);
			expect(result.stderr).toMatch(message);
			expect(result.stderr).not.toMatch(/\n\s+at /);
		});
	}

	it.skipIf(e2eSkipped || process.getuid?.() !== 0)('a socket without permission gives one line and exit 1', async () => {
		const result = await run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'node', cli, '--json'], {
			env: {...process.env, DOCKER_HOST: labHost(), HOME: '/tmp'},
		}).then(
			() => ({code: 0, stderr: ''}),
			(error: {code: number; stderr: string}) => error,
		);
		expect(result.code).toBe(1);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stderr).toMatch(/permission denied on .*docker\.sock/);
	});
});
