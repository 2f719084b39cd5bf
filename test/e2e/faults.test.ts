import {execFileSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonClient} from '../../source/daemon/client.js';
import {Explorer} from '../../source/daemon/explorer.js';
import {startDindContainer} from '../../source/daemon/dind-container.js';
import {startPrivateDockerd} from '../../source/private-daemon/private-dockerd.js';
import {createTreeStore} from '../../source/store/store.js';
import {
	e2eSkipped,
	labClient,
	labHost,
	labLogTail,
	labSocketPath,
	offlineImages,
	removeContainers,
	runBusybox,
	startDind,
	type StartedDaemonContainer,
} from '../lab/lab.js';
import {labLabels} from '../lab/names.js';
import {eventually, named, until} from '../lab/live.js';
import {glyphColumn, TmuxSession} from '../lab/tmux.js';
import {makeCertificates} from '../lab/certs.js';

/** Faults a long-running session meets: what the user sees, and that the rest keeps working. */

function explore(host: string, timeoutMs = 2000, tunnelsOnly = true) {
	const store = createTreeStore();
	const explorer = new Explorer({
		endpoints: [{name: 'default', url: host, source: 'lab', transport: {kind: 'unix', socketPath: host.replace(/^unix:\/\//, '')}}],
		timeoutMs,
		maxDepth: 4,
		dispatch: store.dispatch,
		tunnelsOnly,
		pingIntervalMs: 1000,
	});
	explorer.start();
	return {store, explorer};
}

/** End every dial-stdio in a container (every tunnel into it) and wait until those processes are gone. */
async function killDialStdio(container: string): Promise<void> {
	const client = labClient();
	try {
		const script =
			'p=$(pgrep -f "[d]ocker system dial-stdio"); [ -n "$p" ] && kill $p; for i in $p; do while kill -0 $i 2>/dev/null; do sleep 0.05; done; done';
		const exec = await client.docker.getContainer(container).exec({Cmd: ['sh', '-c', script], AttachStdout: true, AttachStderr: true});
		await new Promise((resolve) => exec.start({}).then((stream) => stream.on('end', resolve).resume()));
	} finally {
		client.close();
	}
}

/** Host pids of the dial-stdio processes in a container (the tunnels into it), found by its pid namespace. */
function dialStdioPids(initPid: number): number[] {
	const namespace = readlinkSync(`/proc/${initPid}/ns/pid`);
	return readdirSync('/proc')
		.filter((entry) => /^\d+$/.test(entry))
		.map(Number)
		.filter((pid) => {
			try {
				return (
					readlinkSync(`/proc/${pid}/ns/pid`) === namespace && readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').includes('system dial-stdio')
				);
			} catch {
				return false;
			}
		});
}

/** Bytes these processes have read so far (dial-stdio reads a request from its stdin). */
function bytesRead(pids: number[]): number {
	return pids.reduce((sum, pid) => {
		try {
			return sum + Number(/^rchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
		} catch {
			return sum;
		}
	}, 0);
}

describe.skipIf(e2eSkipped)('faults', () => {
	let host: DaemonClient;
	let alpha: StartedDaemonContainer;
	let beta: StartedDaemonContainer;
	const names = ['fault-a', 'fault-b', 'lookalike', 'nocli-tcp', 'nocli-tls'];

	beforeAll(async () => {
		host = labClient();
		await removeContainers(host, names);
		[alpha, beta] = await Promise.all([startDind(host, 'fault-a'), startDind(host, 'fault-b')]);
		await runBusybox(alpha.client, 'a-1');
		await runBusybox(beta.client, 'b-1');
	});

	afterAll(async () => {
		alpha?.client.close();
		beta?.client.close();
		if (host) await removeContainers(host, names);
		host?.close();
	});

	it('a DinD removed takes its subtree away; its sibling stays live', async () => {
		const {store, explorer} = explore(labHost());
		try {
			await explorer.settled();
			await until(store, (t) => named(t, 'default/fault-a', 'a-1') !== undefined, 10_000, 'fault-a listed');
			const spare = await startDindContainer(host.docker, {image: offlineImages.dind, name: 'lookalike', labels: labLabels});
			await until(store, (t) => t.daemons['default/lookalike']?.status === 'ready', 30_000, 'the spare DinD ready');
			await host.docker.getContainer(spare.id).remove({force: true, v: true});
			await until(store, (t) => t.daemons['default/lookalike'] === undefined && named(t, 'default', 'lookalike') === undefined, 3000, 'subtree gone');
			await runBusybox(beta.client, 'b-2');
			await until(store, (t) => named(t, 'default/fault-b', 'b-2')?.state === 'running', 2000, 'sibling still live');
			await removeContainers(beta.client, ['b-2']);
		} finally {
			explorer.stop();
		}
	});

	it('a pooled tunnel whose exec dies while idle: the next request opens a new one', async () => {
		const tunnel = host.tunnelTo('fault-a', 'fault test', 3000);
		try {
			await tunnel.docker.ping();
			// Kill every dial-stdio in the container: the pooled tunnel goes with them.
			await killDialStdio('fault-a');
			const started = Date.now();
			let answered = false;
			let failures = 0;
			while (!answered && Date.now() - started < 10_000) {
				try {
					await tunnel.docker.listContainers();
					answered = true;
				} catch {
					failures++;
				}
			}
			expect(answered).toBe(true);
			expect(failures).toBeLessThanOrEqual(1);
			expect(Date.now() - started).toBeLessThan(5000);
		} finally {
			tunnel.close();
		}
	});

	it('a tunnel whose exec dies mid-request fails that request at once, not at its timeout; the next one answers', async () => {
		const timeoutMs = 20_000;
		const tunnel = host.tunnelTo('fault-a', 'fault test', timeoutMs);
		const pid = (await host.docker.getContainer('fault-a').inspect()).State.Pid;
		try {
			await tunnel.docker.ping();
			// The inner dockerd frozen, a request through the tunnel waits for its answer. From
			// the host: inside the container it is PID 1, which ignores the signal.
			process.kill(pid, 'SIGSTOP');
			const before = bytesRead(dialStdioPids(pid));
			const listing = tunnel.docker.listContainers().then(
				() => undefined,
				(error: unknown) => error,
			);
			await eventually(() => bytesRead(dialStdioPids(pid)) > before, 5000, 'the request read by dial-stdio');
			await killDialStdio('fault-a');
			const killed = Date.now();
			const error = await listing;
			expect(error, 'the request in flight failed').toBeInstanceOf(Error);
			// It ends with the tunnel, well before the request's own timeout (20 s).
			expect(Date.now() - killed).toBeLessThan(5000);
			process.kill(pid, 'SIGCONT');
			const next = await tunnel.docker.listContainers({all: true});
			expect(next.map((container) => container.Names[0])).toContain('/a-1');
		} finally {
			try {
				process.kill(pid, 'SIGCONT');
			} catch {
				// Gone already: nothing left frozen.
			}
			tunnel.close();
		}
	});

	it('an events stream cut off resumes from where it was and misses nothing started meanwhile', async () => {
		const {store, explorer} = explore(labHost());
		try {
			await explorer.settled();
			await until(store, (t) => t.daemons['default/fault-a']?.status === 'ready', 10_000, 'fault-a ready');
			await killDialStdio('fault-a');
			// Started while the stream is down: the resumed stream (since=) must report it. The
			// lab's own pooled tunnel died with the rest, so through a new one.
			const fresh = host.tunnelTo(alpha.id, 'fault test', 10_000);
			await runBusybox(fresh, 'a-meanwhile').finally(() => fresh.close());
			const took = await until(store, (t) => named(t, 'default/fault-a', 'a-meanwhile')?.state === 'running', 5000, 'a-meanwhile seen');
			console.log(`[faults] container started during the cut seen after ${took} ms`);
			expect(store.getState().daemons['default/fault-a']?.status).toBe('ready');
		} finally {
			explorer.stop();
			await removeContainers(alpha.client, ['a-meanwhile']);
		}
	});

	it('a link in a container to a socket on the host never becomes its inner daemon (/proc shortcut)', async () => {
		// Both look like DinD (label, volume); their /run/docker.sock is an absolute link, which
		// the kernel would resolve against the host's root under /proc/PID/root: one to the lab's
		// own socket, one to /var/run/docker.sock (the user's daemon, when one runs).
		const names = ['link-lab', 'link-host'];
		await removeContainers(host, names);
		for (const [name, target] of [
			['link-lab', labSocketPath()],
			['link-host', '/var/run/docker.sock'],
		] as const) {
			const container = await host.docker.createContainer({
				Image: offlineImages.busybox,
				name,
				Cmd: ['sh', '-c', `mkdir -p /run && ln -s ${target} /run/docker.sock && exec sleep 600`],
				Labels: {...labLabels, 'io.dockerception.mode': 'dind'},
				Volumes: {'/var/lib/docker': {}},
			});
			await container.start();
		}
		const {store, explorer} = explore(labHost(), 2000, false);
		try {
			for (const name of names) {
				await until(store, (t) => t.daemons[`default/${name}`]?.status === 'unreachable', 10_000, `${name} unreachable`);
				const tree = store.getState();
				expect(named(tree, 'default', name)?.sharesDaemon).toBeUndefined();
				// It says why: nothing inside answers (there is no daemon and no docker CLI in it).
				expect(tree.daemons[`default/${name}`]?.error).toMatch(/no docker CLI in container/);
			}
		} finally {
			explorer.stop();
			await removeContainers(host, names);
		}
	});

	it('a DinD look-alike without a docker CLI says why and is not retried in a loop', async () => {
		await removeContainers(host, ['lookalike']);
		const container = await host.docker.createContainer({
			Image: offlineImages.busybox,
			name: 'lookalike',
			Cmd: ['sleep', '600'],
			Labels: labLabels,
			HostConfig: {Binds: []},
			Volumes: {'/var/lib/docker': {}},
		});
		await container.start();
		const since = Math.floor(Date.now() / 1000);
		const {store, explorer} = explore(labHost());
		try {
			await explorer.settled();
			await until(store, (t) => t.daemons['default/lookalike']?.status === 'unreachable', 5000, 'lookalike unreachable');
			expect(named(store.getState(), 'default', 'lookalike')?.kind).toBe('dind');
			expect(store.getState().daemons['default/lookalike']?.error).toMatch(/no docker CLI in container/);
			// Several retries reported (each a new unreachable node in the model), then count the execs.
			let retries = 0;
			let last = store.getState().daemons['default/lookalike'];
			const unsubscribe = store.subscribe(() => {
				const now = store.getState().daemons['default/lookalike'];
				if (now !== last && now?.status === 'unreachable') retries++;
				last = now;
			});
			await until(store, () => retries >= 3, 15_000, 'three more attempts on lookalike').finally(unsubscribe);
			const events = execFileSync(
				'docker',
				[
					'-H',
					labHost(),
					'events',
					'--since',
					String(since),
					'--until',
					String(Math.floor(Date.now() / 1000)),
					'--filter',
					'container=lookalike',
					'--filter',
					'event=exec_create',
					'--format',
					'{{.Action}}',
				],
				{encoding: 'utf8'},
			);
			// One attempt (a second at most, from a listing race), not one per retry tick.
			expect(events.trim().split('\n').filter(Boolean).length).toBeLessThanOrEqual(2);
		} finally {
			explorer.stop();
			await removeContainers(host, ['lookalike']);
		}
	});

	it('a DinD without a docker CLI but with dockerd on a published 2375 is reached over tcp, marked insecure', async () => {
		await removeContainers(host, ['nocli-tcp']);
		const started = await startDindContainer(host.docker, {
			image: offlineImages.dind,
			name: 'nocli-tcp',
			labels: labLabels,
			cmd: ['sh', '-c', 'rm -f /usr/bin/docker && exec dockerd --host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2375'],
			exposedPorts: ['2375/tcp'],
			hostConfig: {PortBindings: {'2375/tcp': [{HostIp: '127.0.0.1', HostPort: ''}]}},
		});
		void started;
		const {store, explorer} = explore(labHost(), 5000);
		try {
			await until(store, (t) => t.daemons['default/nocli-tcp']?.status === 'ready', 30_000, 'nocli-tcp ready over tcp');
			const daemon = store.getState().daemons['default/nocli-tcp']!;
			expect(daemon.route).toMatch(/^tcp 127\.0\.0\.1:\d+ \(insecure, published 2375\)$/);
			expect(daemon.insecure).toBe(true);
		} finally {
			explorer.stop();
			await removeContainers(host, ['nocli-tcp']);
		}
	});

	it('a DinD without a docker CLI but with dockerd on a published 2376 is reached over TLS with the certs in /certs/client', async () => {
		await removeContainers(host, ['nocli-tls']);
		// The layout of the official docker:dind image: /certs/server for dockerd, /certs/client
		// for clients (dockerception reads the latter through the archive API).
		const certs = mkdtempSync(join(tmpdir(), 'dcpt-certs-'));
		makeCertificates(certs);
		try {
			await startDindContainer(host.docker, {
				image: offlineImages.dind,
				name: 'nocli-tls',
				labels: labLabels,
				cmd: [
					'sh',
					'-c',
					'rm -f /usr/bin/docker && exec dockerd --host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2376 ' +
						'--tlsverify --tlscacert=/certs/server/ca.pem --tlscert=/certs/server/cert.pem --tlskey=/certs/server/key.pem',
				],
				exposedPorts: ['2376/tcp'],
				hostConfig: {Binds: [`${certs}:/certs:ro`], PortBindings: {'2376/tcp': [{HostIp: '127.0.0.1', HostPort: ''}]}},
			});
			const {store, explorer} = explore(labHost(), 5000);
			try {
				await until(store, (t) => t.daemons['default/nocli-tls']?.status === 'ready', 30_000, 'nocli-tls ready over tls');
				const daemon = store.getState().daemons['default/nocli-tls']!;
				// Published or the container's own address: whichever answered first while dockerd came up.
				expect(daemon.route).toMatch(/^tcp (127\.0\.0\.1:\d+ \(tls, published 2376\)|[\d.]+:2376 \(tls, container address\))$/);
				expect(daemon.insecure).toBeFalsy();
				expect(daemon.facts?.os).toMatch(/containerized/);
			} finally {
				explorer.stop();
			}
		} finally {
			await removeContainers(host, ['nocli-tls']);
			rmSync(certs, {recursive: true, force: true});
		}
	});

	it('a host daemon stopped goes unreachable within the timeout and comes back by itself', async () => {
		const stateDir = mkdtempSync(join(tmpdir(), 'dcpt-fault-'));
		let daemon = await startPrivateDockerd({stateDir});
		const {store, explorer} = explore(daemon.host, 2000);
		try {
			await until(store, (t) => t.daemons.default?.status === 'ready', 10_000, 'second daemon ready');
			await daemon.stop();
			const gone = await until(store, (t) => t.daemons.default?.status === 'unreachable', 4000, 'marked unreachable');
			console.log(`[faults] stopped host daemon marked unreachable after ${gone} ms: ${store.getState().daemons.default?.error}`);
			daemon = await startPrivateDockerd({stateDir});
			const back = await until(store, (t) => t.daemons.default?.status === 'ready', 40_000, 'back by itself');
			console.log(`[faults] restarted host daemon ready again after ${back} ms`);
		} finally {
			explorer.stop();
			await daemon.stop();
			rmSync(stateDir, {recursive: true, force: true});
		}
	});

	describe('signals and crashes restore the terminal and close every exec', () => {
		const execCount = async () => {
			const inspected = await Promise.all([host.docker.getContainer('fault-a').inspect(), host.docker.getContainer('fault-b').inspect()]);
			return inspected.reduce((sum, info) => sum + (info.ExecIDs?.length ?? 0), 0);
		};

		for (const [how, code, message] of [
			['SIGINT', 130, 'stopped by SIGINT'],
			['SIGTERM', 143, 'stopped by SIGTERM'],
			['SIGHUP', 129, 'stopped by SIGHUP'],
			['a crash inside a component', 1, 'unexpected error: fault injected by DOCKERCEPTION_FAULT=render'],
		] as const) {
			it(`${how}: exit ${code}, one line, terminal restored, no exec left`, async () => {
				// The lab's own tunnel clients hold execs too: close them so only the TUI's count.
				alpha.client.close();
				beta.client.close();
				const before = await execCount();
				const session = new TmuxSession('node dist/bin/cli.js --tunnel-only', {
					diagnostics: labLogTail,
					env: {DOCKER_HOST: labHost(), LANG: 'C.UTF-8', DOCKERCEPTION_FAULT: 'render'},
				});
				try {
					await session.waitFor((screen) => glyphColumn(screen, 'a-1') >= 0 && glyphColumn(screen, 'b-1') >= 0, 15_000, 'the tree');
					expect(await execCount()).toBeGreaterThan(before);
					if (how.startsWith('SIG')) {
						const shell = session.display('#{pane_pid}');
						// meow names the process after the bin ("dockerception"): take the shell's child.
						const child = execFileSync('pgrep', ['-P', shell], {encoding: 'utf8'}).trim().split('\n')[0];
						process.kill(Number(child), how);
					} else {
						session.keys('!');
					}
					await session.waitFor((screen) => screen.includes(`EXIT=${code}`), 10_000, `exit ${code}`);
					const screen = session.screen();
					expect(screen).toContain(`dockerception: ${message}`);
					expect(screen.split('\n').filter((line) => line.startsWith('dockerception:'))).toHaveLength(1);
					expect(screen).not.toMatch(/\n\s+at /);
					expect(session.display('#{alternate_on}')).toBe('0');
					expect(session.display('#{cursor_flag}')).toBe('1');
					await eventually(async () => (await execCount()) === before, 5000, `the exec count back to ${before}`);
				} finally {
					session.kill();
				}
			});
		}
	});
});
