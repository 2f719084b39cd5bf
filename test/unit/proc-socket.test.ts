import {mkdirSync, mkdtempSync, renameSync, rmSync, statSync, symlinkSync, fstatSync} from 'node:fs';
import net from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {openInRoot, pinDirectory, type Pin} from '../../source/daemon/pinned-path.js';

/*
 * A container's files are looked up as the container would see them: the kernel resolves an
 * absolute link under /proc/PID/root against our root, so the shortcut must not let it.
 * The "host socket" here is one outside the fake container root that a link aims at.
 */
describe('paths resolved inside a container root', () => {
	let base: string;
	let rootDir: string;
	let root: Pin;
	let hostSocket: string;
	const servers: net.Server[] = [];
	const pins: Pin[] = [];
	/** A socket that answers its own name, so a test sees which one a connection reached. */
	const listen = (path: string, name = path) =>
		new Promise<void>((resolve) => {
			const server = net.createServer((socket) => socket.end(name)).listen(path, resolve);
			servers.push(server);
		});
	const open = (relative: string) => {
		const pin = openInRoot(root, relative);
		if (pin) pins.push(pin);
		return pin;
	};
	const sameFile = (pin: Pin | undefined, path: string) => {
		if (!pin) return false;
		const a = fstatSync(pin.fd);
		const b = statSync(path);
		return a.ino === b.ino && a.dev === b.dev;
	};
	const answer = (socket: net.Socket) =>
		new Promise<string>((resolve) => {
			let said = '';
			socket.on('data', (chunk: Buffer) => (said += chunk.toString()));
			socket.on('close', () => resolve(said));
			socket.on('error', () => resolve(`error`));
		});

	beforeAll(async () => {
		base = mkdtempSync(join(tmpdir(), 'dcpt-root-'));
		rootDir = join(base, 'root');
		hostSocket = join(base, 'host.sock');
		await listen(hostSocket, 'host');
		mkdirSync(join(rootDir, 'run'), {recursive: true});
		mkdirSync(join(rootDir, 'var'), {recursive: true});
		root = pinDirectory(rootDir)!;
	});

	afterEach(() => {
		for (const pin of pins.splice(0)) pin.close();
	});

	afterAll(() => {
		for (const server of servers) server.close();
		root.close();
		rmSync(base, {recursive: true, force: true});
	});

	it("follows Debian's absolute /var/run -> /run inside the root, not to the host's /run", async () => {
		symlinkSync('/run', join(rootDir, 'var/run'));
		expect(open('var/run/docker.sock')).toBeUndefined();
		await listen(join(rootDir, 'run/docker.sock'), 'inner');
		expect(sameFile(open('var/run/docker.sock'), join(rootDir, 'run/docker.sock'))).toBe(true);
		rmSync(join(rootDir, 'run/docker.sock'));
	});

	it('never follows an absolute link out of the root, to a socket on the host', () => {
		symlinkSync(hostSocket, join(rootDir, 'run/docker.sock'));
		// The kernel would: the link names a real socket on this host.
		expect(open('run/docker.sock')).toBeUndefined();
		rmSync(join(rootDir, 'run/docker.sock'));
	});

	it('never climbs out of the root with ..', () => {
		const depth = rootDir.split('/').length;
		symlinkSync(`${'../'.repeat(depth + 2)}${hostSocket.slice(1)}`, join(rootDir, 'run/docker.sock'));
		expect(open('run/docker.sock')).toBeUndefined();
		rmSync(join(rootDir, 'run/docker.sock'));
	});

	it('gives up on a link loop', () => {
		symlinkSync('/run/b', join(rootDir, 'run/a'));
		symlinkSync('/run/a', join(rootDir, 'run/b'));
		expect(open('run/a')).toBeUndefined();
	});

	it('keeps reaching the socket it checked after the container swaps its /run for a link to the host', async () => {
		const inner = join(base, 'swap');
		mkdirSync(join(inner, 'run'), {recursive: true});
		await listen(join(inner, 'run/docker.sock'), 'inner');
		const swapRoot = pinDirectory(inner)!;
		pins.push(swapRoot);
		const pinned = openInRoot(swapRoot, 'run/docker.sock')!;
		pins.push(pinned);
		expect(await answer(pinned.connect())).toBe('inner');

		// The container replaces /run with an absolute link: by path, the kernel now leads to the host.
		renameSync(join(inner, 'run'), join(inner, 'run.old'));
		symlinkSync(base, join(inner, 'run'));
		renameSync(hostSocket, join(base, 'docker.sock'));
		try {
			expect(await answer(net.connect(join(inner, 'run/docker.sock')))).toBe('host');
			expect(await answer(pinned.connect())).toBe('inner');
		} finally {
			renameSync(join(base, 'docker.sock'), hostSocket);
		}
	});

	it('refuses to connect through a closed pin (its number may name another file by then)', async () => {
		await listen(join(rootDir, 'run/closed.sock'), 'closed');
		const pinned = openInRoot(root, 'run/closed.sock')!;
		pinned.close();
		expect(await answer(pinned.connect())).toBe('error');
	});
});

describe('a lookup a container makes expensive', () => {
	it('is refused quickly: many links of many components, or a very deep tree', () => {
		const base = mkdtempSync(join(tmpdir(), 'dcpt-deep-'));
		try {
			mkdirSync(join(base, 'run'));
			// 40 chained links, each climbing up and down hundreds of times.
			for (let index = 0; index < 40; index++) symlinkSync(`${'../run/'.repeat(300)}l${index + 1}`, join(base, 'run', `l${index}`));
			const deep = join(base, ...Array.from({length: 100}, () => 'd'));
			mkdirSync(deep, {recursive: true});
			const root = pinDirectory(base)!;
			const started = performance.now();
			expect(openInRoot(root, 'run/l0')).toBeUndefined();
			expect(openInRoot(root, Array.from({length: 100}, () => 'd').join('/'))).toBeUndefined();
			expect(performance.now() - started).toBeLessThan(500);
			root.close();
		} finally {
			rmSync(base, {recursive: true, force: true});
		}
	});
});
