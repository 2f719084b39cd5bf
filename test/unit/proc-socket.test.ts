import {mkdirSync, mkdtempSync, rmSync, symlinkSync} from 'node:fs';
import net from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {resolveInRoot} from '../../source/daemon/proc-socket.js';

/*
 * A container's files are looked up as the container would see them: the kernel resolves an
 * absolute link under /proc/PID/root against our root, so the shortcut must not let it.
 * The "host socket" here is one outside the fake container root that a link aims at.
 */
describe('paths resolved inside a container root', () => {
	let base: string;
	let root: string;
	let hostSocket: string;
	const servers: net.Server[] = [];
	const listen = (path: string) =>
		new Promise<void>((resolve) => {
			const server = net.createServer().listen(path, resolve);
			servers.push(server);
		});

	beforeAll(async () => {
		base = mkdtempSync(join(tmpdir(), 'dcpt-root-'));
		root = join(base, 'root');
		hostSocket = join(base, 'host.sock');
		await listen(hostSocket);
		mkdirSync(join(root, 'run'), {recursive: true});
		mkdirSync(join(root, 'var'), {recursive: true});
	});

	afterAll(() => {
		for (const server of servers) server.close();
		rmSync(base, {recursive: true, force: true});
	});

	it("follows Debian's absolute /var/run -> /run inside the root, not to the host's /run", async () => {
		symlinkSync('/run', join(root, 'var/run'));
		expect(resolveInRoot(root, 'var/run/docker.sock')).toBeUndefined();
		await listen(join(root, 'run/docker.sock'));
		expect(resolveInRoot(root, 'var/run/docker.sock')).toBe(`${root}/run/docker.sock`);
		rmSync(join(root, 'run/docker.sock'));
	});

	it('never follows an absolute link out of the root, to a socket on the host', () => {
		symlinkSync(hostSocket, join(root, 'run/docker.sock'));
		// The kernel would: the link names a real socket on this host.
		expect(resolveInRoot(root, 'run/docker.sock')).toBeUndefined();
		rmSync(join(root, 'run/docker.sock'));
	});

	it('never climbs out of the root with ..', () => {
		const depth = root.split('/').length;
		symlinkSync(`${'../'.repeat(depth + 2)}${hostSocket.slice(1)}`, join(root, 'run/docker.sock'));
		expect(resolveInRoot(root, 'run/docker.sock')).toBeUndefined();
		rmSync(join(root, 'run/docker.sock'));
	});

	it('gives up on a link loop', () => {
		symlinkSync('/run/b', join(root, 'run/a'));
		symlinkSync('/run/a', join(root, 'run/b'));
		expect(resolveInRoot(root, 'run/a')).toBeUndefined();
	});
});
