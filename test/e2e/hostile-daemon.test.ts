import {spawn, type ChildProcess} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {maxAnswerBytes} from '../../source/daemon/answer-limit.js';
import {clientForTransport, type DaemonClient} from '../../source/daemon/client.js';
import {floodEvents, maxContainersPerDaemon} from '../../source/daemon/daemon-watcher.js';
import {Explorer} from '../../source/daemon/explorer.js';
import {followLogs, type LogLine} from '../../source/daemon/logs.js';
import {maxFrameBytes} from '../../source/daemon/stdio-demux.js';
import type {TreeState} from '../../source/store/model.js';
import {createTreeStore} from '../../source/store/store.js';
import {e2eSkipped, labClient, labHost, offlineImages, removeContainers, runBusybox, startDind, type StartedDaemonContainer} from '../lab/lab.js';
import {eventually, named, until} from '../lab/live.js';
import {labLabels} from '../lab/names.js';

/**
 * A daemon inside a container is whoever controls the container. Each row puts a scripted
 * hostile daemon (test/lab/hostile-daemon.mjs, the attacker, not a stand-in for dockerd) on
 * /run/docker.sock of a DinD-looking container in the lab, next to a real DinD, and checks
 * that it ends unreachable or trimmed with a reason, within its limit, with memory bounded,
 * while the real DinD beside it stays live.
 */

interface Row {
	mode: string;
	attack: string;
	limit: string;
	/** The state the hostile daemon must reach, and how long it may take. */
	outcome: (tree: TreeState, path: string) => boolean;
	withinMs: number;
}

const mib = Math.round(maxAnswerBytes / 1024 / 1024);
const timeoutMs = 2000;
const daemonOf = (tree: TreeState, name: string) => tree.daemons[`default/${name}`];
/** The DinD look-alike that the frame mode's daemon lists (its ID is fixed in the script). */
const frameChild = 'frame-dind';
const frameChildId = 'f'.repeat(64);
const frameRefused = `a stream frame of 4096 MiB announced, over ${Math.round(maxFrameBytes / 1024 / 1024)} MiB (refused)`;

const rows: Row[] = [
	{
		mode: 'huge',
		attack: 'a 200 MB container list',
		limit: `answers over ${mib} MiB refused`,
		outcome: (tree, name) => daemonOf(tree, name)?.status === 'unreachable' && /answer larger than \d+ MiB/.test(daemonOf(tree, name)?.error ?? ''),
		withinMs: 10_000,
	},
	{
		mode: 'endless',
		attack: 'a container list that never ends',
		limit: `a request ends after ${(2 * timeoutMs) / 1000} s`,
		outcome: (tree, name) => daemonOf(tree, name)?.status === 'unreachable' && /timeout/.test(daemonOf(tree, name)?.error ?? ''),
		withinMs: 4 * timeoutMs + 2000,
	},
	{
		mode: 'malformed',
		attack: 'a container list that is not JSON',
		limit: 'answers read field by field',
		outcome: (tree, name) =>
			daemonOf(tree, name)?.status === 'unreachable' && /malformed answer: the container list is not JSON/.test(daemonOf(tree, name)?.error ?? ''),
		withinMs: 10_000,
	},
	{
		mode: 'many',
		attack: '100,000 containers',
		limit: `${maxContainersPerDaemon} containers kept per daemon`,
		outcome: (tree, name) =>
			daemonOf(tree, name)?.status === 'ready' &&
			daemonOf(tree, name)?.containers.length === maxContainersPerDaemon &&
			(daemonOf(tree, name)?.notices ?? []).some((notice) => notice.startsWith(`showing ${maxContainersPerDaemon} of 100000 containers`)),
		withinMs: 30_000,
	},
	{
		mode: 'flood',
		attack: '10,000 events a second',
		limit: `over ${floodEvents / 2} events/s: events paused`,
		outcome: (tree, name) => daemonOf(tree, name)?.status === 'ready' && (daemonOf(tree, name)?.notices ?? []).some((notice) => /^event flood/.test(notice)),
		withinMs: 10_000,
	},
	{
		mode: 'frame',
		attack: 'a 4 GiB stream frame, then bytes without end (exec tunnel, logs)',
		limit: `frames over ${Math.round(maxFrameBytes / 1024 / 1024)} MiB refused at their header`,
		// One line on the daemon inside, the attacker's own daemon still shown.
		outcome: (tree, name) =>
			daemonOf(tree, name)?.status === 'ready' &&
			daemonOf(tree, `${name}/${frameChild}`)?.status === 'unreachable' &&
			daemonOf(tree, `${name}/${frameChild}`)?.error === `exec tunnel: ${frameRefused}`,
		withinMs: 10_000,
	},
	{
		mode: 'collide',
		attack: "the host daemon's ID",
		limit: 'an ID already shown must be proven',
		outcome: (tree, name) =>
			daemonOf(tree, name)?.status === 'unreachable' &&
			/claims the ID of default but cannot show its containers/.test(daemonOf(tree, name)?.error ?? '') &&
			named(tree, 'default', name)?.sharesDaemon === undefined,
		withinMs: 10_000,
	},
	{
		mode: 'newid',
		attack: 'a new ID on every call',
		limit: 'a claim ends with its connection',
		outcome: (tree, name) => daemonOf(tree, name)?.status === 'ready',
		withinMs: 10_000,
	},
];

/** The largest heap + buffer growth seen while `work` runs, sampled every 20 ms. */
async function peakGrowth<T>(work: () => Promise<T>): Promise<{result: T; peakMiB: number}> {
	const used = () => {
		const memory = process.memoryUsage();
		return memory.heapUsed + memory.arrayBuffers;
	};
	const base = used();
	let peak = 0;
	const timer = setInterval(() => {
		peak = Math.max(peak, used() - base);
	}, 20);
	try {
		const result = await work();
		peak = Math.max(peak, used() - base);
		return {result, peakMiB: Math.round(peak / 1024 / 1024)};
	} finally {
		clearInterval(timer);
	}
}

describe.skipIf(e2eSkipped)('a hostile daemon inside a container', () => {
	let host: DaemonClient;
	let neighbour: StartedDaemonContainer;
	let directory: string;
	let hostId: string;
	const servers: ChildProcess[] = [];
	const names = rows.map((row) => `hostile-${row.mode}`);
	const table: string[] = [];

	beforeAll(async () => {
		host = labClient();
		await removeContainers(host, [...names, 'hostile-neighbour']);
		neighbour = await startDind(host, 'hostile-neighbour');
		hostId = ((await host.docker.info()) as {ID: string}).ID;
		directory = mkdtempSync(join(tmpdir(), 'dcpt-hostile-'));
	});

	afterAll(async () => {
		for (const server of servers) server.kill('SIGTERM');
		neighbour?.client.close();
		if (host) await removeContainers(host, [...names, 'hostile-neighbour']);
		host?.close();
		if (directory) rmSync(directory, {recursive: true, force: true});
		console.log(['[hostile] attack | limit | outcome | time | peak heap+buffers', ...table].join('\n'));
	});

	/** The attacker's daemon on a host socket, bind-mounted as /run/docker.sock of a DinD look-alike. */
	async function plant(mode: string): Promise<string> {
		const runDir = join(directory, mode);
		mkdirSync(runDir);
		const server = spawn(process.execPath, ['test/lab/hostile-daemon.mjs', mode, join(runDir, 'docker.sock'), hostId], {stdio: ['ignore', 'pipe', 'inherit']});
		servers.push(server);
		await new Promise<void>((resolve, reject) => {
			server.stdout!.once('data', () => resolve());
			server.once('exit', (code) => reject(new Error(`hostile daemon ${mode} exited with ${code}`)));
		});
		const name = `hostile-${mode}`;
		const container = await host.docker.createContainer({
			Image: offlineImages.busybox,
			name,
			Cmd: ['sleep', '600'],
			Labels: {...labLabels, 'io.dockerception.mode': 'dind'},
			Volumes: {'/var/lib/docker': {}},
			HostConfig: {Binds: [`${runDir}:/run`]},
		});
		await container.start();
		return name;
	}

	for (const row of rows) {
		it(`${row.attack}: ${row.limit}`, async () => {
			const name = await plant(row.mode);
			const store = createTreeStore();
			const explorer = new Explorer({
				endpoints: [{name: 'default', url: labHost(), source: 'lab', transport: {kind: 'unix', socketPath: labHost().replace(/^unix:\/\//, '')}}],
				timeoutMs,
				maxDepth: 4,
				dispatch: store.dispatch,
				containers: (path) => {
					const tree = store.getState();
					return (tree.daemons[path]?.containers ?? []).map((key) => tree.containers[key]!).filter(Boolean);
				},
				pingIntervalMs: 1000,
			});
			try {
				const {result: took, peakMiB} = await peakGrowth(async () => {
					explorer.start();
					return until(store, (tree) => row.outcome(tree, name), row.withinMs, `${name}: ${row.limit}`).catch((error: Error) => {
						const {containers, ...daemon} = daemonOf(store.getState(), name) ?? {containers: []};
						const inside = Object.values(store.getState().daemons)
							.filter((inner) => inner.path.startsWith(`default/${name}/`))
							.map((inner) => `${inner.path}: ${inner.status} ${inner.error ?? ''}`);
						throw new Error(
							`${error.message}; it is ${JSON.stringify({...daemon, containers: containers.length})}${inside.length ? `; inside: ${inside.join(', ')}` : ''}`,
						);
					});
				});
				const daemon = store.getState().daemons[`default/${name}`]!;
				const outcome = daemon.status === 'unreachable' ? `unreachable: ${daemon.error}` : `ready${daemon.notices ? `, ${daemon.notices.join('; ')}` : ''}`;
				table.push(`${row.attack} | ${row.limit} | ${outcome} | ${took} ms | ${peakMiB} MiB`);
				// Bounded: well under what the attack would cost if it were read (200 MB, 100,000 nodes).
				expect(peakMiB).toBeLessThan(150);

				if (row.mode === 'newid') {
					// Reconnect three times: each run claims a new ID and gives the old one back.
					for (let round = 0; round < 3; round++) {
						const before = store.getState().daemons[`default/${name}`]!.facts!.id;
						await explorer.refresh(`default/${name}`);
						await until(store, (tree) => daemonOf(tree, name)?.status === 'ready' && daemonOf(tree, name)?.facts?.id !== before, 10_000, 'a new ID');
						expect(explorer.claim(before, 'probe')).toBeUndefined();
						explorer.release(before, 'probe');
					}
				}

				if (row.mode === 'frame') {
					table.push(`${row.attack}, tunnel | | ${frameChild} unreachable: ${daemonOf(store.getState(), `${name}/${frameChild}`)!.error} | | `);
					// `l` on the container: its log stream is refused the same way, with one line in the view.
					const client = clientForTransport({kind: 'unix', socketPath: join(directory, row.mode, 'docker.sock')}, timeoutMs);
					try {
						const lines: LogLine[] = [];
						const {result: shown, peakMiB: logsPeak} = await peakGrowth(async () => {
							const stop = await followLogs(client, frameChildId, (more) => lines.push(...more));
							try {
								await eventually(() => lines.length > 0, 10_000, 'a line in the log view');
								return lines.slice();
							} finally {
								stop();
							}
						});
						table.push(`${row.attack}, logs | | ${JSON.stringify(shown.map((line) => line.text))} | | ${logsPeak} MiB`);
						expect(shown).toEqual([{stream: 'stderr', text: `dockerception: log stream ended: ${frameRefused}`}]);
						expect(logsPeak).toBeLessThan(32);
					} finally {
						client.close();
					}
					expect(peakMiB).toBeLessThan(32);
				}

				if (row.mode === 'flood') {
					// Sustained: through a pause, a listing again and the next flood, memory stays bounded.
					let phase = 0;
					const unsubscribe = store.subscribe(() => {
						const count = daemonOf(store.getState(), name)?.containers.length ?? 0;
						if (phase === 0 && count <= 1) phase = 1;
						else if (phase === 1 && count > 100) phase = 2;
					});
					const {peakMiB: sustained} = await peakGrowth(() => until(store, () => phase === 2, 30_000, 're-listed and flooded again')).finally(unsubscribe);
					table.push(`${row.attack}, sustained | through a pause and the next flood | still ready | — | ${sustained} MiB`);
					expect(sustained).toBeLessThan(150);
				}

				// The rest of the tree stays live: a container started in the real DinD beside it shows up.
				await until(store, (tree) => tree.daemons['default/hostile-neighbour']?.status === 'ready', 30_000, 'the real DinD ready');
				const fresh = `beside-${row.mode}`;
				await runBusybox(neighbour.client, fresh);
				await until(store, (tree) => named(tree, 'default/hostile-neighbour', fresh)?.state === 'running', 5000, `${fresh} seen`);
				await removeContainers(neighbour.client, [fresh]);
				expect(store.getState().daemons.default?.status).toBe('ready');
			} finally {
				explorer.stop();
				await removeContainers(host, [name]);
			}
		});
	}
});
