import {closeSync, fstatSync, openSync, readlinkSync} from 'node:fs';
import {connect as netConnect, Socket} from 'node:net';

/**
 * Files inside a container, held open instead of named. A path under /proc/PID/root is looked
 * up by the kernel again at every use, and the container can change it between two uses (swap
 * its /run for an absolute link, and /proc/PID/root/run/docker.sock is the host's socket). A
 * descriptor opened with O_PATH names the inode that was checked, and /proc/self/fd/N reaches
 * that inode again (connect() follows the magic link to the socket itself), whatever the
 * container does to its directories afterwards.
 */

/** Linux's O_PATH (the same number on x86, arm and their 64-bit kinds); node:fs does not name it. */
const O_PATH = 0o10000000;
const O_NOFOLLOW = 0o400000;
const O_DIRECTORY = 0o200000;
/** As the kernel's limit on symlinks followed in one lookup. */
const maxLinks = 40;
/**
 * A socket path is a few components: a container's links could otherwise make one lookup walk
 * thousands (each `open` blocks the event loop) or hold a descriptor per level.
 */
const maxSteps = 256;
const maxDepth = 64;

export function fdPath(fd: number): string {
	return `/proc/self/fd/${fd}`;
}

/** A file held open by descriptor; `path` reaches it (and only it) while the pin is open. */
export class Pin {
	private open = true;

	constructor(readonly fd: number) {}

	get isOpen(): boolean {
		return this.open;
	}

	/** /proc/self/fd/N. After close the number may name another file: never use it then. */
	get path(): string {
		if (!this.open) throw new Error('pinned file used after close');
		return fdPath(this.fd);
	}

	/** A connection to the pinned socket; after close an errored socket, never a reused number. */
	connect(): Socket {
		if (!this.open) {
			const socket = new Socket();
			process.nextTick(() => socket.destroy(Object.assign(new Error('connection closed'), {code: 'ECONNRESET'})));
			return socket;
		}
		return netConnect(this.path);
	}

	close(): void {
		if (!this.open) return;
		this.open = false;
		try {
			closeSync(this.fd);
		} catch {
			// already gone
		}
	}
}

function openPath(path: string, flags = 0): number | undefined {
	try {
		return openSync(path, O_PATH | flags);
	} catch {
		return undefined;
	}
}

/** A directory held open: the root that `openInRoot` walks from. */
export function pinDirectory(path: string, follow = true): Pin | undefined {
	const fd = openPath(path, O_DIRECTORY | (follow ? 0 : O_NOFOLLOW));
	return fd === undefined ? undefined : new Pin(fd);
}

/**
 * `relative` looked up as a process whose root is `root` would, one component at a time through
 * descriptors: absolute links restart at `root`, `..` never climbs above it, and no component is
 * ever named by a path the container could change in between. Returns the final file held open
 * (any type: the caller checks it), or undefined when a component is missing or the links loop.
 */
export function openInRoot(root: Pin, relative: string): Pin | undefined {
	const rootFd = openPath(root.path, O_DIRECTORY);
	if (rootFd === undefined) return undefined;
	const directories = [rootFd];
	const pending = relative.split('/').filter(Boolean);
	let links = 0;
	let found: number | undefined;
	try {
		let steps = 0;
		while (pending.length > 0) {
			if (++steps > maxSteps || pending.length > maxSteps) return undefined;
			const part = pending.shift()!;
			if (part === '.') continue;
			if (part === '..') {
				if (directories.length > 1) closeSync(directories.pop()!);
				continue;
			}
			const here = `${fdPath(directories.at(-1)!)}/${part}`;
			const fd = openPath(here, O_NOFOLLOW);
			if (fd === undefined) return undefined;
			let stats;
			try {
				stats = fstatSync(fd);
			} catch {
				closeSync(fd);
				return undefined;
			}
			if (stats.isSymbolicLink()) {
				closeSync(fd);
				if (++links > maxLinks) return undefined;
				let target: string;
				try {
					target = readlinkSync(here);
				} catch {
					return undefined; // replaced while we looked: not followed
				}
				if (target.startsWith('/')) while (directories.length > 1) closeSync(directories.pop()!);
				pending.unshift(...target.split('/').filter(Boolean));
				continue;
			}
			if (pending.length === 0) {
				found = fd;
				break;
			}
			if (!stats.isDirectory()) {
				closeSync(fd);
				return undefined;
			}
			if (directories.length >= maxDepth) {
				closeSync(fd);
				return undefined;
			}
			directories.push(fd);
		}
		// Ended on a directory ("", ".", ".."): that directory, opened once more for the caller.
		found ??= openPath(fdPath(directories.at(-1)!), O_DIRECTORY);
		return found === undefined ? undefined : new Pin(found);
	} finally {
		for (const fd of directories) if (fd !== found) closeSync(fd);
	}
}
