import {spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {chmodSync, chownSync, lstatSync, mkdirSync} from 'node:fs';
import {dirname, join} from 'node:path';

/**
 * The seat most users have: not root, in a group that owns the daemon's socket (the `docker`
 * group; Docker Desktop and remote hosts are the same). Such a user cannot open /proc/PID/root
 * of a container, so every nested level goes through exec tunnels. As root the lab makes a seat
 * of its own: a system group, a user in it, and a second socket of the lab's dockerd owned by
 * that group, in a directory of its own under /run (the first socket is under root's home,
 * which nobody else can enter). Never the real `docker` group, never a user it did not make.
 */
export const seatGroup = 'dockerception-lab';
export const seatUserName = 'dockerception-seat';

export interface SeatUser {
	name: string;
	uid: number;
	gid: number;
	home: string;
	group: string;
}

/** setpriv's options that run a command as the seat's user, with its groups. */
export function seatIds(user: SeatUser): string[] {
	return [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups'];
}

/** The lab dockerd's socket for the seat's group, named by the state dir so two labs never share one. */
export function seatSocketPath(stateDir: string): string {
	const digest = createHash('sha256').update(stateDir).digest('hex').slice(0, 8);
	return join('/run', `dockerception-lab-${digest}`, 'docker.sock');
}

function run(command: string, args: string[]): {ok: boolean; out: string} {
	const result = spawnSync(command, args, {encoding: 'utf8'});
	if (result.error) throw new Error(`${command}: ${result.error.message}`);
	return {ok: result.status === 0, out: `${result.stdout}${result.status === 0 ? '' : result.stderr}`.trim()};
}

function must(command: string, args: string[]): void {
	const result = run(command, args);
	if (!result.ok) throw new Error(`${command} ${args.join(' ')}: ${result.out.split('\n').pop()}`);
}

/** The group and the user, made when missing (root only); the user found must be in the group. */
export function ensureSeatUser(): SeatUser {
	if (!run('getent', ['group', seatGroup]).ok) must('groupadd', ['--system', seatGroup]);
	let entry = run('getent', ['passwd', seatUserName]);
	if (!entry.ok) {
		must('useradd', ['--create-home', '--groups', seatGroup, '--shell', '/bin/sh', '--comment', 'dockerception test seat', seatUserName]);
		entry = run('getent', ['passwd', seatUserName]);
	}
	const [, , uid, gid, , home] = entry.out.split(':');
	const groups = run('id', ['-nG', seatUserName]).out.split(/\s+/);
	if (!groups.includes(seatGroup)) {
		throw new Error(`user ${seatUserName} exists but is not in group ${seatGroup}: add it (gpasswd -a ${seatUserName} ${seatGroup}) or remove the user`);
	}
	return {name: seatUserName, uid: Number(uid), gid: Number(gid), home: home!, group: seatGroup};
}

/** The socket's directory: root's, the seat's group may enter it, nobody else. */
export function ensureSeatSocketDir(socketPath: string): void {
	const directory = dirname(socketPath);
	mkdirSync(directory, {recursive: true, mode: 0o750});
	const stats = lstatSync(directory);
	if (!stats.isDirectory() || stats.uid !== 0) throw new Error(`${directory} is not a directory of root's: remove it`);
	const gid = Number(run('getent', ['group', seatGroup]).out.split(':')[2]);
	chownSync(directory, 0, gid);
	chmodSync(directory, 0o750);
}

/** The lab's seat: its user and the dockerd options that give the seat's group its socket. */
export function ensureSeat(stateDir: string): {user: SeatUser; socketPath: string; sockets: {paths: string[]; group: string}} {
	const user = ensureSeatUser();
	const socketPath = seatSocketPath(stateDir);
	ensureSeatSocketDir(socketPath);
	return {user, socketPath, sockets: {paths: [socketPath], group: seatGroup}};
}
