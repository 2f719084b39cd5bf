import {spawnSync} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

/**
 * A STAND-IN for sysbox-runc, for the test lab only: real sysbox cannot be installed here.
 *
 * The lab's dockerd registers it under the name `sysbox-runc`, so dockerception's sysbox path
 * runs end to end: the mode is offered because /info lists the runtime, the sandbox is created
 * with HostConfig.Runtime and no --privileged, it is classified by its runtime, and its inner
 * daemon is reached on both routes. What the stand-in does is not what sysbox does: sysbox
 * isolates the inner daemon with a user namespace; this wrapper gives the container the
 * rights that DinD needs on this kind of host (every capability the host allows, no seccomp
 * or AppArmor profile, unmasked /proc and /sys, all devices, the host's cgroup tree writable),
 * then runs runc. It is named for what it is in its own text, in the lab's dockerd log
 * (`--add-runtime sysbox-runc=…/sysbox-stand-in`) and in the readme.
 */

const capabilityNames = [
	'CHOWN',
	'DAC_OVERRIDE',
	'DAC_READ_SEARCH',
	'FOWNER',
	'FSETID',
	'KILL',
	'SETGID',
	'SETUID',
	'SETPCAP',
	'LINUX_IMMUTABLE',
	'NET_BIND_SERVICE',
	'NET_BROADCAST',
	'NET_ADMIN',
	'NET_RAW',
	'IPC_LOCK',
	'IPC_OWNER',
	'SYS_MODULE',
	'SYS_RAWIO',
	'SYS_CHROOT',
	'SYS_PTRACE',
	'SYS_PACCT',
	'SYS_ADMIN',
	'SYS_BOOT',
	'SYS_NICE',
	'SYS_RESOURCE',
	'SYS_TIME',
	'SYS_TTY_CONFIG',
	'MKNOD',
	'LEASE',
	'AUDIT_WRITE',
	'AUDIT_CONTROL',
	'SETFCAP',
	'MAC_OVERRIDE',
	'MAC_ADMIN',
	'SYSLOG',
	'WAKE_ALARM',
	'BLOCK_SUSPEND',
	'AUDIT_READ',
	'PERFMON',
	'BPF',
	'CHECKPOINT_RESTORE',
];

/** The wrapper's text: a CommonJS node script (no extension: any Node reads it as such) that edits the bundle's config.json on create, then execs runc. */
function wrapperSource(node: string, runc: string): string {
	return `#!${node}
// STAND-IN for sysbox-runc (dockerception's test lab; see test/lab/sysbox-stand-in.ts). Not sysbox.
const {readFileSync, writeFileSync} = require('node:fs');
const {spawnSync} = require('node:child_process');
const args = process.argv.slice(2);
const bundleAt = args.findIndex((arg) => arg === '--bundle' || arg === '-b');
if (bundleAt >= 0 && (args.includes('create') || args.includes('run'))) {
	const file = args[bundleAt + 1] + '/config.json';
	const spec = JSON.parse(readFileSync(file, 'utf8'));
	// Every capability in this host's bounding set (a kernel may lack some, e.g. CAP_SYS_RESOURCE).
	const bounding = BigInt('0x' + /CapBnd:\\s*([0-9a-f]+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
	const names = ${JSON.stringify(capabilityNames)};
	const caps = names.filter((_, bit) => (bounding >> BigInt(bit)) & 1n).map((name) => 'CAP_' + name);
	spec.process.capabilities = {bounding: caps, effective: caps, permitted: caps, inheritable: caps};
	delete spec.process.apparmorProfile;
	delete spec.linux.seccomp;
	spec.linux.maskedPaths = [];
	spec.linux.readonlyPaths = [];
	spec.linux.resources = {...spec.linux.resources, devices: [{allow: true, access: 'rwm'}]};
	spec.mounts = spec.mounts.filter((mount) => mount.destination !== '/sys/fs/cgroup');
	for (const mount of spec.mounts) if (mount.destination === '/sys') mount.options = (mount.options || []).filter((option) => option !== 'ro');
	spec.mounts.push({destination: '/sys/fs/cgroup', type: 'bind', source: '/sys/fs/cgroup', options: ['rbind', 'rw', 'nosuid', 'nodev', 'noexec']});
	writeFileSync(file, JSON.stringify(spec));
}
const result = spawnSync(${JSON.stringify(runc)}, args, {stdio: 'inherit'});
process.exit(result.status ?? 1);
`;
}

/** Write the stand-in under the lab's state directory; its path, for `--add-runtime`. */
export function writeSysboxStandIn(stateDir: string): string {
	const runc = spawnSync('sh', ['-c', 'command -v runc'], {encoding: 'utf8'}).stdout.trim() || '/usr/sbin/runc';
	const directory = join(stateDir, 'runtimes');
	mkdirSync(directory, {recursive: true});
	const path = join(directory, 'sysbox-stand-in');
	const source = wrapperSource(process.execPath, runc);
	// A running lab's dockerd may be executing it: replace it whole, and only when it changed.
	if (!existsSync(path) || readFileSync(path, 'utf8') !== source) {
		writeFileSync(`${path}.new`, source, {mode: 0o755});
		chmodSync(`${path}.new`, 0o755);
		renameSync(`${path}.new`, path);
	}
	return path;
}
