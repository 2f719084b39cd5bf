import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createConnection} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {labStateDir} from './provision.js';

/**
 * An ssh host for the tests, harmless to the machine: Debian's sshd is unpacked (not
 * installed: no service starts, no user is added) under the lab's state directory and runs in
 * a mount namespace of its own, where a copy of /etc/passwd holds its privilege-separation
 * user and /run is a fresh tmpfs. It listens on 127.0.0.1 only; logins run `docker` against
 * the lab's daemon (SetEnv DOCKER_HOST).
 */
export interface LabSshd {
	port: number;
	/** Files the tests point ssh at: the client key, known_hosts, and the directory. */
	directory: string;
	identity: string;
	knownHosts: string;
	stop(): Promise<void>;
}

/** The directory under root that holds libwrap.so.0 (its name depends on the architecture). */
function libraryDirectory(root: string): string | undefined {
	const lib = join(root, 'usr', 'lib');
	if (!existsSync(lib)) return undefined;
	for (const entry of readdirSync(lib)) if (existsSync(join(lib, entry, 'libwrap.so.0'))) return join(lib, entry);
	return existsSync(join(lib, 'libwrap.so.0')) ? lib : undefined;
}

/** sshd and libwrap unpacked from Debian's packages, once. */
function unpackedSshd(): {sshd: string; libraries: string} {
	const root = join(labStateDir(), 'sshd');
	const sshd = join(root, 'usr', 'sbin', 'sshd');
	const found = libraryDirectory(root);
	if (existsSync(sshd) && found) return {sshd, libraries: found};
	const downloads = mkdtempSync(join(tmpdir(), 'dcpt-debs-'));
	try {
		execFileSync('apt-get', ['download', 'openssh-server', 'libwrap0'], {cwd: downloads, stdio: ['ignore', 'ignore', 'pipe']});
		mkdirSync(root, {recursive: true});
		for (const deb of readdirSync(downloads).filter((file) => file.endsWith('.deb'))) execFileSync('dpkg-deb', ['-x', join(downloads, deb), root]);
	} finally {
		rmSync(downloads, {recursive: true, force: true});
	}
	const libraries = libraryDirectory(root);
	if (!existsSync(sshd) || !libraries) throw new Error(`openssh-server and libwrap0 unpacked into ${root} hold no sshd or libwrap.so.0`);
	return {sshd, libraries};
}

function freePort(): number {
	// The kernel's ephemeral range is busy with clients; this range is not.
	return 20_000 + Math.floor(Math.random() * 10_000);
}

async function accepts(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = createConnection({host: '127.0.0.1', port});
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

export async function startLabSshd(dockerHost: string): Promise<LabSshd> {
	const {sshd, libraries} = unpackedSshd();
	const directory = mkdtempSync(join(tmpdir(), 'dcpt-sshd-'));
	const file = (name: string) => join(directory, name);
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file('host_key')]);
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'dockerception-test', '-f', file('id_ed25519')]);
	// Keys per user: root's only, so another user is refused.
	writeFileSync(file('root_keys'), readFileSync(file('id_ed25519.pub')));
	writeFileSync(file('passwd'), `${readFileSync('/etc/passwd', 'utf8').trimEnd()}\nsshd:x:64999:65534:sshd privsep:/run/sshd:/usr/sbin/nologin\n`);
	let port = freePort();
	while (await accepts(port)) port = freePort();
	writeFileSync(
		file('sshd_config'),
		[
			`Port ${port}`,
			'ListenAddress 127.0.0.1',
			`HostKey ${file('host_key')}`,
			'PidFile none',
			`AuthorizedKeysFile ${directory}/%u_keys`,
			'PermitRootLogin prohibit-password',
			'PasswordAuthentication no',
			'KbdInteractiveAuthentication no',
			'UsePAM no',
			'StrictModes no',
			`SetEnv DOCKER_HOST=${dockerHost}`,
			'',
		].join('\n'),
	);
	writeFileSync(file('known_hosts'), `[127.0.0.1]:${port} ${readFileSync(file('host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
	// pdeathsig: if the test process dies before stop(), sshd dies with it.
	const script = `mount --bind ${file('passwd')} /etc/passwd && mount -t tmpfs tmpfs /run && mkdir -m 755 /run/sshd && exec setpriv --pdeathsig KILL -- ${sshd} -D -e -f ${file('sshd_config')}`;
	const child: ChildProcess = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], {
		env: {...process.env, LD_LIBRARY_PATH: libraries},
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	let log = '';
	child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
	const deadline = Date.now() + 10_000;
	while (!(await accepts(port))) {
		if (child.exitCode !== null || Date.now() > deadline) {
			child.kill();
			throw new Error(`the lab's sshd did not start: ${log.trim()}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return {
		port,
		directory,
		identity: file('id_ed25519'),
		knownHosts: file('known_hosts'),
		async stop() {
			// Gone before this returns: a root-login sshd must not outlive its test.
			if (child.exitCode === null && child.signalCode === null) {
				const exited = new Promise((resolve) => child.once('exit', resolve));
				child.kill();
				await exited;
			}
			rmSync(directory, {recursive: true, force: true});
		},
	};
}
