import {mkdtempSync, rmSync} from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Duplex} from 'node:stream';
import {readFileSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import {clientForTransport, DaemonClient} from '../../source/daemon/client.js';
import {DaemonWatcher, type WatcherHost} from '../../source/daemon/daemon-watcher.js';
import {TunnelAgent, TunnelSocket} from '../../source/daemon/exec-tunnel.js';
import type {Connection} from '../../source/daemon/inner-route.js';
import {hostProcRoot} from '../../source/daemon/proc-socket.js';
import {NoTcpRouteError, type TcpRoute} from '../../source/daemon/tcp-fallback.js';
import {createTreeStore} from '../../source/store/store.js';
import {eventually} from '../lab/live.js';

/*
 * A nested daemon that starts answering only after N failed probes, on each route the
 * watcher takes: its socket under /proc, an exec tunnel, the tcp fallback. The daemon is a
 * scripted HTTP server replaying the lab's /version and /info (test/fixtures/capture-lab.mjs).
 * It must be seen ready by the first probe after it answers, and probes while it boots must
 * come at least every bootProbeMs (a backoff that grew to 30 s left sandboxes "waiting").
 */
const reports = JSON.parse(readFileSync(new URL('../fixtures/lab-reports.json', import.meta.url), 'utf8'));
const bootProbeMs = 300;
const failuresBeforeReady = 8;

function scriptedDaemon(): http.Server {
	return http.createServer((request, response) => {
		const url = request.url ?? '';
		const json = (body: unknown) => {
			response.setHeader('Content-Type', 'application/json');
			response.end(JSON.stringify(body));
		};
		if (url.includes('/_ping')) response.end('OK');
		else if (url.includes('/version')) json(reports['dind-a'].version);
		else if (url.includes('/info')) json({...reports['dind-a'].info, SystemTime: new Date().toISOString()});
		else if (url.includes('/containers/json')) json([]);
		else if (url.includes('/events')) response.writeHead(200).flushHeaders();
		else response.writeHead(404).end('{}');
	});
}

/** Docker's multiplexed stdout frames around a plain connection: what an exec of dial-stdio sends. */
function framed(socket: net.Socket): Duplex {
	const duplex = new Duplex({
		read() {},
		write(chunk, _encoding, callback) {
			socket.write(chunk, callback);
		},
		final(callback) {
			socket.end();
			callback();
		},
		destroy(error, callback) {
			socket.destroy();
			callback(error);
		},
	});
	socket.on('data', (data: Buffer) => {
		const header = Buffer.alloc(8);
		header[0] = 1;
		header.writeUInt32BE(data.length, 4);
		duplex.push(Buffer.concat([header, data]));
	});
	socket.on('end', () => duplex.push(null));
	return duplex;
}

/** An exec that takes what is written, says `output` and ends. */
function execSaying(output: Buffer): Duplex {
	const stream = new Duplex({
		read() {},
		write(_chunk, _encoding, callback) {
			callback();
		},
	});
	setImmediate(() => {
		stream.push(output);
		stream.push(null);
	});
	return stream;
}

/** What dial-stdio says on stderr while the daemon inside has no socket yet. */
function dialFailure(): Duplex {
	const text = Buffer.from('error during connect: dial unix /var/run/docker.sock: connect: no such file or directory\n');
	const header = Buffer.alloc(8);
	header[0] = 2;
	header.writeUInt32BE(text.length, 4);
	return execSaying(Buffer.concat([header, text]));
}

/** What exec says, unframed, in a container without a docker CLI. */
function noCli(): Duplex {
	return execSaying(Buffer.from('OCI runtime exec failed: exec failed: exec: "docker": executable file not found in $PATH: unknown\r\n'));
}

function tunnelClient(open: () => Duplex): DaemonClient {
	const socket = () => new TunnelSocket(Promise.resolve({socket: open(), execId: 'scripted'}));
	return new DaemonClient('exec tunnel via scripted', {protocol: 'http', host: 'docker', port: 80}, 2000, {
		requests: new TunnelAgent(socket, {maxSockets: 1}),
		streams: new TunnelAgent(socket, {keepAlive: false}),
	});
}

interface Attempts {
	times: number[];
	answeringSince?: number;
}

/** What a child watcher needs of the tree around it: one store, no parent, nothing claimed. */
function scriptedHost(store: ReturnType<typeof createTreeStore>, probeMs: number): WatcherHost {
	return {
		maxDepth: 2,
		pingIntervalMs: 0,
		bootProbeMs: probeMs,
		follow: false,
		timeoutMs: 2000,
		tunnelsOnly: false,
		dispatch: (action) => store.dispatch(action),
		track: (work) => work,
		claim: () => undefined,
		release: () => undefined,
		containers: () => [],
		report: () => undefined,
	};
}

function watchChild(connect: () => Connection, tcpFallback?: () => Promise<TcpRoute | NoTcpRouteError>) {
	const store = createTreeStore(undefined, 0);
	const host = scriptedHost(store, bootProbeMs);
	const watcher = new DaemonWatcher(host, {
		path: 'default/booting',
		depth: 1,
		route: 'scripted',
		connect,
		socketPaths: [],
		// The container started just now: its daemon is booting.
		bootGraceUntil: Date.now() + 30_000,
		...(tcpFallback ? {tcpFallback} : {}),
	});
	const ready = new Promise<number>((resolve) => {
		const unsubscribe = store.subscribe(() => {
			if (store.getState().daemons['default/booting']?.status === 'ready') {
				unsubscribe();
				resolve(Date.now());
			}
		});
	});
	return {watcher, ready};
}

/** Ready by the first probe after the daemon answers, and no gap between probes above the interval. */
function expectReadyWithinOneInterval(attempts: Attempts, readyAt: number) {
	const gaps = attempts.times.slice(1).map((time, index) => time - attempts.times[index]!);
	expect(attempts.times.length).toBe(failuresBeforeReady + 1);
	expect(Math.max(...gaps)).toBeLessThan(bootProbeMs + 150);
	expect(readyAt - attempts.answeringSince!).toBeLessThan(bootProbeMs + 150);
}

describe('a nested daemon that answers only after several failed probes', () => {
	const cleanups: Array<() => void> = [];
	afterEach(() => {
		for (const cleanup of cleanups.splice(0)) cleanup();
	});

	/** A scripted daemon on a unix socket that starts listening between probe N and N+1. */
	function lateSocketDaemon() {
		const dir = mkdtempSync(join(tmpdir(), 'dcpt-ready-'));
		const socketPath = join(dir, 'docker.sock');
		const server = scriptedDaemon();
		cleanups.push(
			() => server.close(),
			() => rmSync(dir, {recursive: true, force: true}),
		);
		const attempts: Attempts = {times: []};
		const probed = () => {
			attempts.times.push(Date.now());
			if (attempts.times.length === failuresBeforeReady) {
				setTimeout(() => server.listen(socketPath, () => (attempts.answeringSince = Date.now())), 50);
			}
		};
		return {dir, socketPath, server, attempts, probed};
	}

	async function expectSeenReady(daemon: ReturnType<typeof lateSocketDaemon>, connect: () => Connection) {
		const {watcher, ready} = watchChild(() => {
			daemon.probed();
			return connect();
		});
		cleanups.push(() => watcher.stop());
		void watcher.start();
		expectReadyWithinOneInterval(daemon.attempts, await ready);
	}

	it('through its socket under /proc (the socket appears late): ready at the next probe', async () => {
		const daemon = lateSocketDaemon();
		await expectSeenReady(daemon, () => ({
			client: clientForTransport({kind: 'unix', socketPath: daemon.socketPath}, 2000),
			procRoot: hostProcRoot,
			via: 'proc',
		}));
	});

	it('through an exec tunnel (dial-stdio finds no socket, then does): ready at the next probe', async () => {
		const daemon = lateSocketDaemon();
		const open = () => (daemon.server.listening ? framed(net.connect(daemon.socketPath)) : dialFailure());
		await expectSeenReady(daemon, () => ({client: tunnelClient(open), via: 'tunnel'}));
	});

	it('over tcp when the container has no docker CLI (the port answers late): ready at the next probe', async () => {
		const server = scriptedDaemon();
		cleanups.push(() => server.close());
		const attempts: Attempts = {times: []};
		let execs = 0;
		const {watcher, ready} = watchChild(
			() => ({
				client: tunnelClient(() => {
					execs++;
					return noCli();
				}),
				via: 'tunnel',
			}),
			async () => {
				attempts.times.push(Date.now());
				if (attempts.times.length === failuresBeforeReady) {
					setTimeout(() => server.listen(0, '127.0.0.1', () => (attempts.answeringSince = Date.now())), 50);
				}
				if (!server.listening) return new NoTcpRouteError('no docker CLI in container; tcp did not answer: 127.0.0.1:2375 (refused)', false);
				const {port} = server.address() as net.AddressInfo;
				return {
					connection: {client: clientForTransport({kind: 'tcp', host: '127.0.0.1', port}, 2000)},
					route: `tcp 127.0.0.1:${port} (insecure, scripted)`,
					insecure: true,
				};
			},
		);
		cleanups.push(() => watcher.stop());
		void watcher.start();
		expectReadyWithinOneInterval(attempts, await ready);
		// Once it knows there is no CLI, it stops running execs that cannot work.
		expect(execs).toBeLessThanOrEqual(3);
	}, 15_000);
});

describe('a container whose daemon never answers', () => {
	it('is probed less and less often after its boot grace, and at once again after an event on its container', async () => {
		const times: number[] = [];
		let execs = 0;
		const store = createTreeStore(undefined, 0);
		const probeMs = 50;
		const host = scriptedHost(store, probeMs);
		const watcher = new DaemonWatcher(host, {
			path: 'default/silent',
			depth: 1,
			route: 'scripted',
			connect: () => {
				times.push(Date.now());
				return {
					client: tunnelClient(() => {
						execs++;
						return dialFailure();
					}),
					via: 'tunnel',
				};
			},
			socketPaths: [],
			// Its container started long ago: the grace is over.
			bootGraceUntil: Date.now() - 1,
		});
		try {
			void watcher.start();
			// Probed 100, 200, 400, 800, 1600, then 3000 ms apart (the ceiling: 60 boot probes).
			await eventually(() => times.length >= 7, 20_000, 'seven probes');
			const gaps = times.slice(1).map((time, index) => time - times[index]!);
			for (const [index, gap] of gaps.entries()) expect(gap).toBeGreaterThanOrEqual(probeMs * Math.min(2 ** (index + 1), 60) - 5);
			// At the ceiling a probe is a minute of boot probes apart (3 s here), not one.
			expect(Math.max(...gaps)).toBeGreaterThanOrEqual(probeMs * 60 - 5);

			// One exec per probe: the requests queued behind a failed one are told, not tried again.
			expect(execs).toBeLessThanOrEqual(times.length);

			const before = times.length;
			const nudgedAt = Date.now();
			watcher.nudge();
			await eventually(() => times.length > before, 2000, 'a probe after the nudge');
			expect(times.at(-1)! - nudgedAt).toBeLessThan(probeMs * 30);
		} finally {
			watcher.stop();
		}
	}, 40_000);
});
