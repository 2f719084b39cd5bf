import {mkdtempSync, rmSync} from 'node:fs';
import http from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Duplex} from 'node:stream';
import {afterEach, describe, expect, it} from 'vitest';
import {clientForTransport, DaemonClient} from '../../source/daemon/client.js';
import {TunnelAgent, TunnelSocket} from '../../source/daemon/exec-tunnel.js';
import {eventually} from '../lab/live.js';

/*
 * Two things a user notices: `s` on a container with a long stop grace must not fail when the
 * pool's idle timer fires, and a tunnel pool that once found its daemon down must try again
 * later (a sandbox's daemon comes up after its first ping failed).
 */
describe('slow requests and a daemon that comes up late', () => {
	const cleanup: Array<() => void> = [];
	afterEach(() => cleanup.splice(0).forEach((step) => step()));

	it('a slow request answered after the pool idle time (5 s) succeeds on a local socket', async () => {
		const directory = mkdtempSync(join(tmpdir(), 'dcpt-slow-'));
		const socketPath = join(directory, 'docker.sock');
		const server = http.createServer((request, response) => {
			// POST /containers/x/stop waits for the container's grace period.
			setTimeout(() => response.writeHead(204).end(), 5600);
		});
		await new Promise<void>((resolve) => server.listen(socketPath, resolve));
		const client = clientForTransport({kind: 'unix', socketPath}, 1000);
		cleanup.push(() => {
			client.close();
			server.close();
			rmSync(directory, {recursive: true, force: true});
		});
		await expect(client.slow.getContainer('x').stop()).resolves.toBeDefined();
	}, 20_000);

	it('a pool that got "daemon down" opens a new tunnel for a later request', async () => {
		let execs = 0;
		let up = false;
		const server = http.createServer((_request, response) => response.end('OK'));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const {port} = server.address() as {port: number};
		cleanup.push(() => server.close());
		const down = () => {
			const text = Buffer.from('error during connect: dial unix /var/run/docker.sock: connect: no such file or directory\n');
			const header = Buffer.alloc(8);
			header[0] = 2;
			header.writeUInt32BE(text.length, 4);
			const stream = new Duplex({read() {}, write: (_c, _e, callback) => callback()});
			setImmediate(() => {
				stream.push(Buffer.concat([header, text]));
				stream.push(null);
			});
			return stream;
		};
		const upStream = async () => {
			const {connect} = await import('node:net');
			const socket = connect(port, '127.0.0.1');
			const framed = new Duplex({
				read() {},
				write: (chunk, _e, callback) => socket.write(chunk, callback),
				final: (callback) => (socket.end(), callback()),
			});
			socket.on('data', (data: Buffer) => {
				const header = Buffer.alloc(8);
				header[0] = 1;
				header.writeUInt32BE(data.length, 4);
				framed.push(Buffer.concat([header, data]));
			});
			socket.on('end', () => framed.push(null));
			return framed;
		};
		const open = () => {
			execs++;
			return new TunnelSocket((up ? upStream() : Promise.resolve(down())).then((socket) => ({socket, execId: `exec-${execs}`})));
		};
		const client = new DaemonClient('exec tunnel via scripted', {protocol: 'http', host: 'docker', port: 80}, 2000, {
			requests: new TunnelAgent(open, {maxSockets: 1}),
		});
		cleanup.push(() => client.close());
		// Four requests at once while the daemon is down: one exec tells them all.
		const first = await Promise.allSettled([client.docker.ping(), client.docker.ping(), client.docker.ping(), client.docker.ping()]);
		expect(first.every((result) => result.status === 'rejected')).toBe(true);
		expect(execs).toBe(1);
		up = true;
		// Later requests try again (within about a second) and reach it.
		await eventually(
			() =>
				client.docker.ping().then(
					() => true,
					() => false,
				),
			5000,
			'the daemon reached',
		);
		expect(execs).toBeGreaterThan(1);
	}, 20_000);
});
