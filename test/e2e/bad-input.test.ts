import {execFile} from 'node:child_process';
import {createHash} from 'node:crypto';
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonClient} from '../../source/daemon/client.js';
import {e2eSkipped, labClient, labHost, removeContainers, runBusybox, startDind, type StartedDaemonContainer} from '../lab/lab.js';

/** Bad input, as a table: what is typed, the one line that comes back, the exit code. */

const run = promisify(execFile);
const cli = 'dist/bin/cli.js';

/** A Docker config dir with a broken context and one whose TLS key is missing. */
function brokenConfig(): string {
	const dir = mkdtempSync(join(tmpdir(), 'dcpt-bad-config-'));
	const context = (name: string, meta: string, tls?: Record<string, string>) => {
		const digest = createHash('sha256').update(name).digest('hex');
		mkdirSync(join(dir, 'contexts', 'meta', digest), {recursive: true});
		writeFileSync(join(dir, 'contexts', 'meta', digest, 'meta.json'), meta);
		if (tls) {
			mkdirSync(join(dir, 'contexts', 'tls', digest, 'docker'), {recursive: true});
			for (const [file, content] of Object.entries(tls)) writeFileSync(join(dir, 'contexts', 'tls', digest, 'docker', file), content);
		}
	};
	context('broken', '{"Name": "broken", "Endpoints": ');
	context('notls', JSON.stringify({Name: 'notls', Endpoints: {docker: {Host: 'tcp://10.9.9.9:2376'}}}), {'ca.pem': 'x', 'cert.pem': 'y'});
	return dir;
}

async function attempt(args: string[], env: Record<string, string> = {}): Promise<{code: number; stdout: string; stderr: string}> {
	return run('node', [cli, ...args], {env: {...process.env, NO_COLOR: '1', ...env}, timeout: 60_000}).then(
		({stdout, stderr}) => ({code: 0, stdout, stderr}),
		(error: {code: number; stdout: string; stderr: string}) => ({code: error.code, stdout: error.stdout, stderr: error.stderr}),
	);
}

function expectOneLine(result: {code: number; stderr: string}, code: number, message: RegExp): void {
	expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
	expect(result.stderr).toMatch(message);
	expect(result.stderr).not.toMatch(/\n\s+at |Error:/);
	expect(result.code).toBe(code);
}

describe('bad flags and endpoints', () => {
	const config = brokenConfig();
	const table: Array<[string, string[], Record<string, string>, number, RegExp]> = [
		['unknown flag', ['--bogus'], {}, 2, /^dockerception: unknown flag --bogus \(see --help\)$/m],
		['unknown short flag', ['-x', 'tree'], {}, 2, /^dockerception: unknown flag -x \(see --help\)$/m],
		[
			'unknown command',
			['frobnicate'],
			{},
			2,
			/^dockerception: unknown command "frobnicate" \(commands: tree, exec, spawn, prune, diff, forward, doctor; see --help\)$/m,
		],
		['--depth -1', ['--depth', '-1', 'tree'], {}, 2, /^dockerception: --depth "-1": expected a whole number from 0 \(host only\) upward$/m],
		['--depth abc', ['--depth', 'abc', 'tree'], {}, 2, /^dockerception: --depth "abc": expected a whole number from 0 \(host only\) upward$/m],
		['--timeout 0', ['--timeout', '0', 'tree'], {}, 2, /^dockerception: --timeout 0: must be more than 0$/m],
		['--timeout soon', ['--timeout', 'soon', 'tree'], {}, 2, /^dockerception: --timeout "soon": expected seconds \(5, 1\.5s\) or milliseconds \(500ms\)$/m],
		[
			'--detach-keys ctrl-pq',
			['--detach-keys', 'ctrl-pq', 'tree'],
			{},
			2,
			/^dockerception: invalid detach keys "ctrl-pq": use a comma-separated list of ctrl-<letter> or single characters$/m,
		],
		[
			'--context naming no context',
			['--context', 'nope', 'tree'],
			{DOCKER_CONFIG: config},
			2,
			/^dockerception: context "nope" does not exist \(see `docker context ls`\)$/m,
		],
		[
			'a context whose meta.json is malformed',
			['--context', 'broken', 'tree'],
			{DOCKER_CONFIG: config},
			2,
			/^dockerception: context "broken": malformed \S+meta\.json \(.+\)$/m,
		],
		[
			'a context whose TLS key is missing',
			['--context', 'notls', 'tree'],
			{DOCKER_CONFIG: config},
			2,
			/^dockerception: context "notls" TLS directory \S+: key\.pem is missing$/m,
		],
		[
			'--host with --context',
			['-H', 'unix:///x.sock', '--context', 'notls', 'tree'],
			{DOCKER_CONFIG: config},
			2,
			/^dockerception: conflicting options: give either --host or --context\/--all-contexts, not both$/m,
		],
		[
			'DOCKER_HOST=foo',
			['--json'],
			{DOCKER_HOST: 'foo'},
			2,
			/^dockerception: DOCKER_HOST "foo": no scheme \(expected unix:\/\/\/path, tcp:\/\/host:port or ssh:\/\/user@host\)$/m,
		],
		['DOCKER_HOST=tcp://', ['--json'], {DOCKER_HOST: 'tcp://'}, 2, /^dockerception: DOCKER_HOST "tcp:\/\/": missing host/m],
		[
			'DOCKER_HOST refused',
			['--json'],
			{DOCKER_HOST: 'tcp://127.0.0.1:1'},
			1,
			/^dockerception: cannot reach the Docker daemon at tcp:\/\/127\.0\.0\.1:1 \(DOCKER_HOST\): connection refused 127\.0\.0\.1/m,
		],
		[
			'DOCKER_HOST no socket',
			['tree'],
			{DOCKER_HOST: 'unix:///nope.sock'},
			1,
			/^dockerception: cannot reach the Docker daemon at unix:\/\/\/nope\.sock \(DOCKER_HOST\): no socket at \/nope\.sock \(is dockerd running\?\)/m,
		],
		[
			'ssh:// to a host that refuses',
			['--json'],
			{DOCKER_HOST: 'ssh://nobody@127.0.0.1:1'},
			1,
			/^dockerception: cannot reach the Docker daemon at ssh:\/\/nobody@127\.0\.0\.1:1 \(DOCKER_HOST\): ssh nobody@127\.0\.0\.1:1: connection refused/m,
		],
		[
			'ssh:// with a malformed %-escape in the user name',
			['--json'],
			{DOCKER_HOST: 'ssh://%zz@build'},
			2,
			/^dockerception: DOCKER_HOST "ssh:\/\/%zz@build": the user name has a malformed %-escape \(expected unix:\/\/\/path, tcp:\/\/host:port or ssh:\/\/user@host\)$/m,
		],
		[
			'ssh:// with a user name that decodes to a %-token',
			['tree'],
			{DOCKER_HOST: 'ssh://%25h@build'},
			2,
			/^dockerception: DOCKER_HOST "ssh:\/\/%25h@build": the user name must not contain "%" \(ssh would read it as a %-token\)/m,
		],
		[
			'the TUI without a terminal',
			[],
			{DOCKER_HOST: 'unix:///nope.sock'},
			2,
			/^dockerception: the live view needs a terminal; for scripts use `dockerception tree` or `--json`$/m,
		],
		['--demo without --sandbox', ['--demo'], {}, 2, /^dockerception: --demo and --keep go with --sandbox$/m],
	];
	for (const [what, args, env, code, message] of table) {
		it(`${what}: exit ${code} and one line`, async () => expectOneLine(await attempt(args, env), code, message));
	}
});

describe.skipIf(e2eSkipped)('bad paths and names on the lab', () => {
	let host: DaemonClient;
	let dind: StartedDaemonContainer;
	const env = () => ({DOCKER_HOST: labHost()});

	beforeAll(async () => {
		host = labClient();
		await removeContainers(host, ['bad-d', 'bad-p', 'bad-paused']);
		dind = await startDind(host, 'bad-d');
		await runBusybox(host, 'bad-p');
		await runBusybox(host, 'bad-paused');
		await host.docker.getContainer('bad-paused').pause();
	});

	afterAll(async () => {
		dind?.client.close();
		if (host) await removeContainers(host, ['bad-d', 'bad-p', 'bad-paused']);
		host?.close();
	});

	const table: Array<[string, string[], number, RegExp]> = [
		['exec: unknown name', ['exec', 'default/nope', '--', 'true'], 2, /^dockerception: no container "nope" on default \(it has .*bad-d.*\)$/m],
		[
			'exec: path through a container that is not a daemon',
			['exec', 'default/bad-p/x', '--', 'true'],
			2,
			/^dockerception: default\/bad-p is a plain container, not a daemon: nothing below it in default\/bad-p\/x$/m,
		],
		['exec: too deep', ['--depth', '0', 'exec', 'default/bad-d/x', '--', 'true'], 2, /^dockerception: default\/bad-d\/x: deeper than --depth 0$/m],
		['exec: no command', ['exec', 'default/bad-p'], 2, /^dockerception: exec needs a command after --, e\.g\. dockerception exec default\/box -- hostname$/m],
		[
			'exec: a daemon, not a container',
			['exec', 'default', '--', 'true'],
			2,
			/^dockerception: "default" names a daemon; a container path is needed \(e\.g\. default\/NAME\)$/m,
		],
		['diff: unknown name', ['diff', 'default', 'default/nope'], 2, /^dockerception: no container "nope" on default/m],
		['spawn --on a plain container', ['spawn', '--on', 'default/bad-p'], 2, /^dockerception: default\/bad-p is a plain container, not a daemon/m],
		[
			'spawn: a name with invalid characters',
			['spawn', '--name', 'bad name!'],
			2,
			/^dockerception: name "bad name!": letters, digits, "_", "\." and "-" only, starting with a letter or digit$/m,
		],
		['spawn: an empty name', ['spawn', '--name', ''], 2, /^dockerception: name "": a name is needed$/m],
		['spawn: an unknown mode', ['spawn', '--mode', 'vm'], 2, /^dockerception: --mode "vm": expected dind, socket, sysbox or swarm$/m],
		['spawn: a swarm of no nodes', ['spawn', '--mode', 'swarm', '--nodes', '0'], 2, /^dockerception: --nodes 0: expected 1 to 9$/m],
		['spawn: --nodes without --mode swarm', ['spawn', '--nodes', '2'], 2, /^dockerception: --nodes and --copy go with --mode swarm$/m],
		[
			'exec: a paused container (the daemon refuses)',
			['exec', 'default/bad-paused', '--', 'true'],
			1,
			/^dockerception: the daemon refused: Container \w+ is paused, unpause the container before exec$/m,
		],
		[
			'spawn: a name already taken',
			['spawn', '--name', 'bad-p'],
			2,
			/^dockerception: name "bad-p" is taken on this daemon: pick another, or remove that container first$/m,
		],
		[
			// The lab's own daemon has the stand-in runtime; the DinD inside it has none.
			'spawn: sysbox on a daemon without sysbox-runc',
			['spawn', '--mode', 'sysbox', '--on', 'default/bad-d', '--name', 'bad-sysbox'],
			1,
			/^dockerception: sysbox mode needs the sysbox-runc runtime, and this daemon has none: install sysbox \(github\.com\/nestybox\/sysbox\), or use --mode dind$/m,
		],
		[
			'spawn: an image that is not there and cannot be pulled',
			['spawn', '--name', 'bad-img', '--image', 'dockerception-lab/nothing:1'],
			1,
			/^dockerception: image dockerception-lab\/nothing:1 is not on this daemon and cannot be pulled \(.+\); copy it in with i, or pick another$/m,
		],
	];
	for (const [what, args, code, message] of table) {
		it(`${what}: exit ${code} and one line`, async () => expectOneLine(await attempt(args, env()), code, message));
	}

	it('bad spawns leave no container behind', async () => {
		const names = [...(await host.docker.listContainers({all: true})), ...(await dind.client.docker.listContainers({all: true}))].map((c) => c.Names[0]);
		expect(names.filter((name) => /bad-img|bad-sysbox|bad name|swarm-/.test(name ?? ''))).toEqual([]);
	});

	it('with two roots, a path must say which', async () => {
		const result = await attempt(['--context', 'a', '--context', 'b', 'exec', 'bad-d/x', '--', 'true'], {DOCKER_CONFIG: twoContexts(labHost())});
		expectOneLine(result, 2, /^dockerception: path "bad-d\/x" must start with one of the roots: a, b$/m);
	});
});

function twoContexts(host: string): string {
	const dir = mkdtempSync(join(tmpdir(), 'dcpt-two-contexts-'));
	for (const name of ['a', 'b']) {
		const digest = createHash('sha256').update(name).digest('hex');
		mkdirSync(join(dir, 'contexts', 'meta', digest), {recursive: true});
		writeFileSync(join(dir, 'contexts', 'meta', digest, 'meta.json'), JSON.stringify({Name: name, Endpoints: {docker: {Host: host}}}));
	}
	return dir;
}
