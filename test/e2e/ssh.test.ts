import {execFile, spawn, type ChildProcess} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonClient} from '../../source/daemon/client.js';
import type {JsonDaemon} from '../../source/output/json-snapshot.js';
import {e2eSkipped, labClient, labHost, removeContainers, runBusybox, startDind, type StartedDaemonContainer} from '../lab/lab.js';
import {startLabSshd, type LabSshd} from '../lab/sshd.js';

/**
 * ssh:// hosts through the system ssh, as the Docker CLI reaches them: the lab's sshd
 * (test/lab/sshd.ts) logs in to run `docker system dial-stdio` against the lab daemon, which
 * holds a DinD; its inner container must be listed through ssh and then an exec tunnel.
 */

async function run(args: string[], env: Record<string, string | undefined>) {
	const result = await promisify(execFile)('node', ['dist/bin/cli.js', ...args], {
		env: {...process.env, SSH_AUTH_SOCK: undefined, ...env} as NodeJS.ProcessEnv,
		timeout: 60_000,
	}).then(
		({stdout, stderr}) => ({code: 0, stdout, stderr}),
		(error: {code: number; stdout: string; stderr: string}) => ({code: error.code, stdout: error.stdout, stderr: error.stderr}),
	);
	return result;
}

/** The inner containers of ssh-dind in a --json answer. */
function innerNames(json: string): string[] {
	const root = (JSON.parse(json) as {roots: JsonDaemon[]}).roots[0]!;
	const dind = root.containers.find((container) => container.name === 'ssh-dind');
	return (dind?.daemon?.containers ?? []).map((container) => container.name);
}

describe.skipIf(e2eSkipped)('ssh:// hosts through the system ssh', () => {
	let host: DaemonClient;
	let dind: StartedDaemonContainer;
	let sshd: LabSshd;
	let agent: ChildProcess | undefined;

	beforeAll(async () => {
		host = labClient();
		await removeContainers(host, ['ssh-dind']);
		dind = await startDind(host, 'ssh-dind');
		await runBusybox(dind.client, 'ssh-inner');
		sshd = await startLabSshd(labHost());
	});

	afterAll(async () => {
		agent?.kill();
		await sshd?.stop();
		dind?.client.close();
		if (host) await removeContainers(host, ['ssh-dind']);
		host?.close();
	});

	const url = () => `ssh://root@127.0.0.1:${sshd.port}`;
	const knownHosts = () => `-o UserKnownHostsFile=${sshd.knownHosts}`;

	it('with a key file and no agent', async () => {
		const result = await run(['--json', '-H', url()], {DOCKERCEPTION_SSH_COMMAND: `ssh ${knownHosts()} -o IdentitiesOnly=yes -i ${sshd.identity}`});
		expect(result.stderr).toBe('');
		expect(innerNames(result.stdout)).toContain('ssh-inner');
		expect((JSON.parse(result.stdout) as {roots: JsonDaemon[]}).roots[0]!.route).toBe(`ssh root@127.0.0.1:${sshd.port}`);
	});

	it('with the key in an ssh-agent', async () => {
		const socket = join(sshd.directory, 'agent.sock');
		agent = spawn('ssh-agent', ['-D', '-a', socket], {stdio: 'ignore'});
		const deadline = Date.now() + 5000;
		let added = false;
		while (!added && Date.now() < deadline) {
			added = await promisify(execFile)('ssh-add', [sshd.identity], {env: {...process.env, SSH_AUTH_SOCK: socket}}).then(
				() => true,
				() => false,
			);
			if (!added) await new Promise((resolve) => setTimeout(resolve, 50));
		}
		expect(added).toBe(true);
		const result = await run(['--json', '-H', url()], {SSH_AUTH_SOCK: socket, DOCKERCEPTION_SSH_COMMAND: `ssh ${knownHosts()}`});
		expect(result.stderr).toBe('');
		expect(innerNames(result.stdout)).toContain('ssh-inner');
	});

	it('through an alias in an ssh config (host, port, user and key from the config)', async () => {
		const config = join(sshd.directory, 'config');
		writeFileSync(
			config,
			`Host dcpt-lab\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User root\n  IdentityFile ${sshd.identity}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${sshd.knownHosts}\n`,
		);
		const result = await run(['--json', '-H', 'ssh://dcpt-lab'], {DOCKERCEPTION_SSH_COMMAND: `ssh -F ${config}`});
		expect(result.stderr).toBe('');
		expect(innerNames(result.stdout)).toContain('ssh-inner');
	});

	for (const [what, target, command, said] of [
		['a closed port', 'ssh://root@127.0.0.1:1', 'ssh', /: ssh root@127\.0\.0\.1:1: connection refused/],
		[
			'a user the host refuses',
			'ssh://nobody@127.0.0.1:PORT',
			'ssh KNOWN -o IdentitiesOnly=yes -i KEY',
			/: ssh nobody@127\.0\.0\.1:\d+: authentication failed/,
		],
		[
			'a host key not known yet',
			'ssh://root@127.0.0.1:PORT',
			'ssh -o UserKnownHostsFile=/dev/null -o IdentitiesOnly=yes -i KEY',
			/the host key is not known yet; accept it once with: ssh -p \d+ root@127\.0\.0\.1/,
		],
	] as const) {
		it(`${what}: one line, exit 1`, async () => {
			const result = await run(['tree', '-H', target.replace('PORT', String(sshd.port))], {
				DOCKERCEPTION_SSH_COMMAND: command.replace('KNOWN', knownHosts()).replace('KEY', sshd.identity),
			});
			expect(result.code).toBe(1);
			const lines = result.stderr.trim().split('\n');
			expect(lines).toHaveLength(1);
			expect(lines[0]).toMatch(said);
			expect(result.stderr).not.toMatch(/\n\s+at /);
		});
	}
});
