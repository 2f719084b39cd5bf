import {spawnSync} from 'node:child_process';
import {homedir} from 'node:os';
import {join} from 'node:path';
import {clientForTransport} from '../../source/daemon/client.js';
import {parseHost} from '../../source/daemon/endpoint.js';
import {ensureBusyboxImage, ensureDindImage} from '../../source/private-daemon/offline-images.js';
import {ensureSeat, type SeatUser} from './seat-user.js';
import {writeSysboxStandIn} from './sysbox-stand-in.js';
import {startPrivateDockerd, which, type PrivateDockerd} from '../../source/private-daemon/private-dockerd.js';

/**
 * The test lab: a private dockerd (never the user's), the offline images, and nothing else.
 * Topologies are built by the tests through lab.ts.
 */
export interface ProvisionedLab {
	host: string;
	stateDir: string;
	/** Set when the lab started the daemon and must stop it. */
	daemon?: PrivateDockerd;
	/** A user in the group that owns a second socket of the lab's daemon (seat-user.ts). */
	seat?: {user: SeatUser; host: string};
	/** Why there is no such user: not root, a daemon of the contributor's own, or what failed. */
	seatProblem?: string;
	timings: Record<string, number>;
}

const packages: Record<string, string> = {
	dockerd: 'docker.io',
	debootstrap: 'debootstrap',
	busybox: 'busybox-static',
	tmux: 'tmux',
	// Certificates for the TLS fallback test.
	openssl: 'openssl',
	// ssh:// hosts (the lab's sshd is unpacked from openssh-server, never installed: see sshd.ts).
	ssh: 'openssh-client',
	unshare: 'util-linux',
};

export function labStateDir(): string {
	if (process.env.DOCKERCEPTION_LAB_DIR) return process.env.DOCKERCEPTION_LAB_DIR;
	const base = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
	return join(base, 'dockerception', 'lab');
}

/** Install what is missing from Debian's packages (root only). */
export function ensurePackages(): void {
	const missing = Object.entries(packages)
		.filter(([command]) => !which(command))
		.map(([, pkg]) => pkg);
	if (missing.length === 0) return;
	if (process.getuid?.() !== 0) {
		throw new Error(
			`the lab needs ${missing.join(', ')} and is not root: install them (apt-get install -y ${missing.join(' ')}), ` +
				'point DOCKERCEPTION_LAB_HOST at a daemon of your own, or set DOCKERCEPTION_E2E=0 to skip end-to-end tests',
		);
	}
	if (!which('apt-get')) throw new Error(`the lab needs ${missing.join(', ')} and there is no apt-get to install them`);
	const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'};
	const update = spawnSync('apt-get', ['update'], {encoding: 'utf8', env});
	const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {encoding: 'utf8', env});
	if (update.status !== 0 || install.status !== 0) {
		const tail = `${install.stderr || update.stderr}`.trim().split('\n').pop();
		throw new Error(`apt-get install ${missing.join(' ')} failed: ${tail}`);
	}
}

export async function provisionLab(): Promise<ProvisionedLab> {
	const timings: Record<string, number> = {};
	const time = async <T>(label: string, work: () => Promise<T> | T): Promise<T> => {
		const started = Date.now();
		try {
			return await work();
		} finally {
			timings[label] = Date.now() - started;
		}
	};
	const stateDir = labStateDir();
	let host = process.env.DOCKERCEPTION_LAB_HOST;
	let daemon: PrivateDockerd | undefined;
	let seat: ProvisionedLab['seat'];
	let seatProblem: string | undefined;
	await time('packages', () => ensurePackages());
	if (!host) {
		// startPrivateDockerd needs root: without it the lab fails there with its own line.
		let sockets;
		if (process.getuid?.() === 0) {
			try {
				const made = await time('seat', () => ensureSeat(stateDir));
				seat = {user: made.user, host: `unix://${made.socketPath}`};
				sockets = made.sockets;
			} catch (error) {
				seatProblem = `the docker-group seat could not be made: ${error instanceof Error ? error.message : String(error)}`;
			}
		}
		daemon = await time('dockerd', () =>
			startPrivateDockerd({stateDir, runtimes: {'sysbox-runc': writeSysboxStandIn(stateDir)}, ...(sockets ? {sockets} : {})}),
		);
		host = daemon.host;
	} else {
		seatProblem = 'DOCKERCEPTION_LAB_HOST names a daemon of your own: the lab cannot give a group its socket';
	}
	const client = clientForTransport(parseHost(host, 'DOCKERCEPTION_LAB_HOST'), 60_000);
	await time('busybox image', () => ensureBusyboxImage(client.streams, join(stateDir, 'build')));
	await time('dind image', () => ensureDindImage(client.streams, join(stateDir, 'build')));
	client.close();
	return {host, stateDir, ...(daemon ? {daemon} : {}), ...(seat ? {seat} : {}), ...(seatProblem ? {seatProblem} : {}), timings};
}
