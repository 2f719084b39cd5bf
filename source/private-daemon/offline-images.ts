import {spawn, spawnSync} from 'node:child_process';
import {copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type Docker from 'dockerode';
import {hasImage} from '../daemon/images.js';
import {UserError} from '../errors.js';
import {which} from './private-dockerd.js';

/**
 * Images built from Debian's packages, with no registry: a 2 MB busybox image for inner
 * containers and a Debian image running dockerd for DinD. Built once per daemon and kept.
 */
export const offlineImages = {
	busybox: 'dockerception-lab/busybox:1',
	dind: 'dockerception-lab/dind:2',
};

/**
 * dockerd refuses to start when its pidfile names a live process, and after a restart the
 * stale /var/run/docker.pid says "1", which is dockerd itself. The official image's
 * entrypoint deletes it; this one does the same, and keeps `dockerd` visible as the command.
 */
const cleanPidfilesScript = `#!/bin/sh
find /run /var/run -maxdepth 3 -name '*.pid' -delete 2>/dev/null
exec "$@"
`;
const dindChanges = ['ENTRYPOINT ["/usr/local/bin/clean-pidfiles"]', 'CMD ["dockerd","--host=unix:///var/run/docker.sock"]', 'VOLUME /var/lib/docker'];

export async function ensureBusyboxImage(docker: Docker, workDir: string, tag = offlineImages.busybox): Promise<boolean> {
	if (await hasImage(docker, tag)) return false;
	const busybox = which('busybox');
	if (!busybox) throw new UserError('busybox is missing: apt-get install -y busybox-static');
	const root = join(workDir, 'busybox-root');
	rmSync(root, {recursive: true, force: true});
	mkdirSync(join(root, 'bin'), {recursive: true});
	mkdirSync(join(root, 'tmp'), {recursive: true});
	copyFileSync(busybox, join(root, 'bin', 'busybox'));
	for (const applet of [
		'sh',
		'ls',
		'cat',
		'echo',
		'sleep',
		'ps',
		'hostname',
		'stty',
		'date',
		'env',
		'id',
		'top',
		'uname',
		'true',
		'false',
		'kill',
		'wc',
		'tail',
		'head',
	]) {
		symlinkSync('busybox', join(root, 'bin', applet));
	}
	await importDirectory(docker, root, tag, ['CMD ["/bin/sh"]', 'ENV PATH=/bin']);
	rmSync(root, {recursive: true, force: true});
	return true;
}

export interface BuildProgress {
	(step: string): void;
}

/** debootstrap (minbase + docker.io) into workDir, then import; ~40 s on 2 cores. */
export async function ensureDindImage(docker: Docker, workDir: string, tag = offlineImages.dind, progress: BuildProgress = () => {}): Promise<boolean> {
	if (await hasImage(docker, tag)) return false;
	const debootstrap = which('debootstrap');
	if (!debootstrap) throw new UserError('debootstrap is missing: apt-get install -y debootstrap');
	const root = join(workDir, 'dind-root');
	rmSync(root, {recursive: true, force: true});
	mkdirSync(workDir, {recursive: true});
	const mirror = debianMirror();
	progress(`debootstrap bookworm from ${mirror}`);
	const result = spawnSync(debootstrap, ['--variant=minbase', '--include=docker.io,iptables,procps', 'bookworm', root, mirror], {
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	if (result.status !== 0) {
		const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-2).join(' | ');
		throw new UserError(`debootstrap failed (${tail})`);
	}
	// Caches and docs are a third of the size and useless in a sandbox.
	for (const path of ['var/cache/apt/archives', 'var/lib/apt/lists', 'usr/share/doc', 'usr/share/man', 'usr/share/locale', 'usr/share/info']) {
		rmSync(join(root, path), {recursive: true, force: true});
	}
	mkdirSync(join(root, 'usr/local/bin'), {recursive: true});
	writeFileSync(join(root, 'usr/local/bin/clean-pidfiles'), cleanPidfilesScript, {mode: 0o755});
	progress('importing the root filesystem');
	await importDirectory(docker, root, tag, dindChanges);
	rmSync(root, {recursive: true, force: true});
	return true;
}

/** The Debian mirror the machine's apt uses (never a host name written into the code). */
export function debianMirror(): string {
	const sources = '/etc/apt/sources.list.d/debian.sources';
	if (existsSync(sources)) {
		const text = readFileSync(sources, 'utf8');
		for (const block of text.split(/\n\s*\n/)) {
			if (/Suites:.*\bbookworm\b(?!-)/.test(block) || /Suites:\s*bookworm\s*$/m.test(block)) {
				const uri = /^URIs:\s*(\S+)/m.exec(block);
				if (uri && !/security/.test(uri[1]!)) return uri[1]!;
			}
		}
	}
	const list = '/etc/apt/sources.list';
	if (existsSync(list)) {
		const line = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m.exec(readFileSync(list, 'utf8'));
		if (line) return line[1]!;
	}
	throw new UserError('no Debian bookworm mirror found in /etc/apt sources');
}

/** `tar -c DIR | docker import -c CHANGE... - TAG`, through the API. */
async function importDirectory(docker: Docker, directory: string, tag: string, changes: string[]): Promise<void> {
	const [repo, version] = splitTag(tag);
	const tar = spawn('tar', ['-C', directory, '-c', '.'], {stdio: ['ignore', 'pipe', 'pipe']});
	let tarError = '';
	tar.stderr.on('data', (chunk: Buffer) => (tarError += chunk.toString()));
	const response = await docker.importImage(tar.stdout as unknown as string, {repo, tag: version, changes} as object);
	await new Promise<void>((resolve, reject) => {
		docker.modem.followProgress(response, (error: Error | null, output: Array<{error?: string}>) => {
			const failed = error ?? output.find((entry) => entry.error);
			if (failed) reject(new UserError(`docker import ${tag} failed: ${failed instanceof Error ? failed.message : failed.error}`));
			else resolve();
		});
	});
	const code = await new Promise<number | null>((resolve) => {
		if (tar.exitCode !== null) resolve(tar.exitCode);
		else tar.once('close', resolve);
	});
	if (code !== 0) throw new UserError(`tar of ${directory} failed: ${tarError.trim()}`);
}

export function splitTag(image: string): [string, string] {
	const at = image.lastIndexOf(':');
	if (at > image.lastIndexOf('/')) return [image.slice(0, at), image.slice(at + 1)];
	return [image, 'latest'];
}
