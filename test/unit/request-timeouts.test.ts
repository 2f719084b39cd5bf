import {mkdtempSync, rmSync} from 'node:fs';
import {createServer, type Server, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {clientForTransport} from '../../source/daemon/client.js';
import {unreachableReason} from '../../source/daemon/reasons.js';
import {TimeoutError} from '../../source/errors.js';

/** A daemon that accepts connections and never answers (paused, or its dockerd stopped). */
function silentServer(listen: (server: Server) => void): Promise<Server> {
	const held: Socket[] = [];
	const server = createServer((socket) => held.push(socket));
	server.on('close', () => held.forEach((socket) => socket.destroy()));
	return new Promise((resolve) => {
		server.once('listening', () => resolve(server));
		listen(server);
	});
}

describe('a daemon that never answers', () => {
	const cleanup: Array<() => void> = [];
	afterEach(() => cleanup.splice(0).forEach((step) => step()));

	it('on a unix socket: the request fails as a timeout, not as a reset connection', async () => {
		const directory = mkdtempSync(join(tmpdir(), 'dcpt-silent-'));
		const socketPath = join(directory, 'docker.sock');
		const server = await silentServer((s) => s.listen(socketPath));
		const client = clientForTransport({kind: 'unix', socketPath}, 300);
		cleanup.push(() => {
			client.close();
			server.close();
			rmSync(directory, {recursive: true, force: true});
		});
		const error = await client.docker.ping().then(
			() => undefined,
			(failure: unknown) => failure,
		);
		expect(error).toBeInstanceOf(TimeoutError);
		expect(unreachableReason(error)).toBe('timeout (the daemon does not answer)');
	});

	it('over TLS: a handshake without answer fails after the timeout', async () => {
		const server = await silentServer((s) => s.listen(0, '127.0.0.1'));
		const port = (server.address() as {port: number}).port;
		const client = clientForTransport({kind: 'tcp', host: '127.0.0.1', port, tls: {verify: false}}, 300);
		cleanup.push(() => {
			client.close();
			server.close();
		});
		const error = await client.docker.info().then(
			() => undefined,
			(failure: unknown) => failure,
		);
		expect(error).toBeInstanceOf(TimeoutError);
		expect((error as Error).message).toBe('TLS handshake: no answer in 300 ms');
		expect(unreachableReason(error)).toBe('timeout (the daemon does not answer)');
	});
});
