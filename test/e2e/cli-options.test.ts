import {execFile, spawn} from 'node:child_process';
import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonClient} from '../../source/daemon/client.js';
import {startDindContainer} from '../../source/daemon/dind-container.js';
import {copyImage} from '../../source/daemon/image-copy.js';
import {startPrivateDockerd} from '../../source/private-daemon/private-dockerd.js';
import {makeCertificates} from '../lab/certs.js';
import {
	e2eSkipped,
	labClient,
	labHost,
	offlineImages,
	removeContainers,
	runBusybox,
	startDind,
	waitForDaemon,
	type StartedDaemonContainer,
} from '../lab/lab.js';
import {eventually} from '../lab/live.js';
import {labLabels} from '../lab/names.js';
import {TmuxSession} from '../lab/tmux.js';

/**
 * The options of "Run it" and "Commands for scripts", each run through the built CLI against
 * the lab: the Docker CLI's ways to pick a daemon (--context, DOCKER_CONTEXT, the current
 * context, a TLS context), --all-contexts, --depth, --timeout, --sandbox --keep,
 * forward --as-context and diff --all.
 */

const run = promisify(execFile);
const cliPath = 'dist/bin/cli.js';
const missingSocket = 'unix:///nonexistent-dcpt/docker.sock';

interface Result {
	code: number | null;
	stdout: string;
	stderr: string;
	ms: number;
}

/** The environment without the caller's Docker settings: each test says which ones it sets. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
	const env = {...process.env, LANG: 'C.UTF-8'};
	for (const key of ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_CONFIG', 'DOCKER_TLS_VERIFY', 'DOCKER_TLS', 'DOCKER_CERT_PATH', 'NO_COLOR', 'FORCE_COLOR'])
		delete env[key];
	return {...env, ...extra};
}

/** The CLI as a script runs it: no terminal, its output and exit code, and how long it took. */
function cli(args: string[], env: Record<string, string>): Promise<Result> {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn('node', [cliPath, ...args], {env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.once('error', reject);
		child.once('close', (code) => resolve({code, stdout, stderr, ms: Date.now() - started}));
	});
}

/** The root lines of `tree` (a glyph, the root's name, its summary, its route). */
const rootLines = (text: string) => text.split('\n').filter((line) => /^[●◐○✕] /.test(line));
/** The names of the containers `tree` prints, at any depth. */
const rowNames = (text: string) =>
	text
		.split('\n')
		.map((line) => /^[│ ]*[├└]─ [●◐○✕] (\S+)/.exec(line)?.[1])
		.filter((name): name is string => name !== undefined);
const rowOf = (text: string, name: string) => text.split('\n').find((line) => new RegExp(`[├└]─ [●◐○✕] ${name}\\s`).test(line)) ?? '';

/** A Docker config directory as `docker context create` leaves it. */
class DockerConfig {
	readonly dir = mkdtempSync(join(tmpdir(), 'dcpt-docker-config-'));

	context(name: string, host: string, tlsFrom?: string): void {
		const digest = createHash('sha256').update(name).digest('hex');
		const meta = join(this.dir, 'contexts', 'meta', digest);
		mkdirSync(meta, {recursive: true});
		writeFileSync(join(meta, 'meta.json'), JSON.stringify({Name: name, Metadata: {}, Endpoints: {docker: {Host: host, SkipTLSVerify: false}}}));
		if (!tlsFrom) return;
		const tls = join(this.dir, 'contexts', 'tls', digest, 'docker');
		mkdirSync(tls, {recursive: true});
		for (const file of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(tls, file), readFileSync(join(tlsFrom, file)), {mode: 0o600});
	}

	current(name: string | undefined): void {
		const file = join(this.dir, 'config.json');
		if (name === undefined) rmSync(file, {force: true});
		else writeFileSync(file, JSON.stringify({currentContext: name}));
	}

	metaDir(name: string): string {
		return join(this.dir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
	}
}

describe.skipIf(e2eSkipped)('the options that pick and bound what is walked', () => {
	let host: DaemonClient;
	let tlsClient: DaemonClient;
	let outer: StartedDaemonContainer;
	let inner: StartedDaemonContainer;
	let tlsPort: string;
	let config: DockerConfig;
	let certs: string;
	const names = ['opt-tls', 'opt-outer'];

	beforeAll(async () => {
		host = labClient();
		await removeContainers(host, names);
		// A DinD as docker:dind runs with DOCKER_TLS_CERTDIR: dockerd on 2376 with TLS only
		// (client certificates required), published on 127.0.0.1.
		certs = mkdtempSync(join(tmpdir(), 'dcpt-certs-'));
		makeCertificates(certs);
		const tls = await startDindContainer(host.docker, {
			image: offlineImages.dind,
			name: 'opt-tls',
			labels: labLabels,
			cmd: [
				'dockerd',
				'--host=unix:///var/run/docker.sock',
				'--host=tcp://0.0.0.0:2376',
				'--tlsverify',
				'--tlscacert=/certs/server/ca.pem',
				'--tlscert=/certs/server/cert.pem',
				'--tlskey=/certs/server/key.pem',
			],
			exposedPorts: ['2376/tcp'],
			hostConfig: {Binds: [`${certs}:/certs:ro`], PortBindings: {'2376/tcp': [{HostIp: '127.0.0.1', HostPort: ''}]}},
		});
		tlsPort = (await host.docker.getContainer(tls.id).inspect()).NetworkSettings.Ports['2376/tcp']![0]!.HostPort;
		tlsClient = host.tunnelTo(tls.id, 'exec tunnel via opt-tls', 30_000);
		await waitForDaemon(tlsClient);
		await copyImage(host, tlsClient, offlineImages.busybox);
		await runBusybox(tlsClient, 'tls-box');

		// Two levels below the host: opt-outer holds opt-inner, which holds opt-leaf.
		outer = await startDind(host, 'opt-outer', [offlineImages.busybox, offlineImages.dind]);
		await runBusybox(outer.client, 'opt-mid');
		inner = await startDind(outer.client, 'opt-inner', [offlineImages.busybox]);
		await runBusybox(inner.client, 'opt-leaf');

		config = new DockerConfig();
		config.context('lab', labHost());
		config.context('tls', `tcp://127.0.0.1:${tlsPort}`, join(certs, 'client'));
		// The same daemon without the certificates: it must be refused, or TLS was not used.
		config.context('tls-bare', `tcp://127.0.0.1:${tlsPort}`);
	}, 300_000);

	afterAll(async () => {
		inner?.client.close();
		outer?.client.close();
		tlsClient?.close();
		if (host) {
			await host.docker
				.getContainer('opt-tls')
				.unpause()
				.catch(() => {});
			await removeContainers(host, names);
		}
		host?.close();
		if (certs) rmSync(certs, {recursive: true, force: true});
		if (config) rmSync(config.dir, {recursive: true, force: true});
	});

	it('--context, DOCKER_CONTEXT and the current context in config.json each pick the daemon, in the docker CLI order', async () => {
		config.current('tls');
		try {
			const cases: Array<[string, string[], Record<string, string>, string, string]> = [
				// what, flags, environment, the root it shows, a container only that daemon has
				['the current context', [], {}, 'tls', 'tls-box'],
				['DOCKER_CONTEXT over the current context', [], {DOCKER_CONTEXT: 'lab'}, 'lab', 'opt-outer'],
				['DOCKER_HOST over DOCKER_CONTEXT', [], {DOCKER_CONTEXT: 'tls', DOCKER_HOST: labHost()}, 'default', 'opt-outer'],
				['--context over DOCKER_HOST', ['--context', 'lab'], {DOCKER_HOST: missingSocket}, 'lab', 'opt-outer'],
				['--context over the current context', ['--context', 'lab'], {}, 'lab', 'opt-outer'],
			];
			for (const [what, flags, env, root, only] of cases) {
				const result = await cli([...flags, '--depth', '0', 'tree'], {...env, DOCKER_CONFIG: config.dir});
				expect(result.code, `${what}: ${result.stderr}`).toBe(0);
				const roots = rootLines(result.stdout);
				expect(roots, what).toHaveLength(1);
				expect(roots[0], what).toMatch(new RegExp(`^● ${root}  Docker 20\\.10\\.\\d+`));
				expect(rowNames(result.stdout), what).toContain(only);
			}
			// The paths other commands take start with the context's name.
			const exec = await cli(['--context', 'tls', 'exec', 'tls/tls-box', '--', 'echo', 'via-context'], {DOCKER_CONFIG: config.dir});
			expect(exec.stdout.trim()).toBe('via-context');
		} finally {
			config.current(undefined);
		}
	});

	it('a TLS context reaches a daemon that speaks only TLS, with the client certificates of its tls directory', async () => {
		const viaContext = await cli(['--context', 'tls', '--depth', '0', 'tree'], {DOCKER_CONFIG: config.dir});
		expect(viaContext.code, viaContext.stderr).toBe(0);
		expect(rootLines(viaContext.stdout)[0]).toMatch(new RegExp(`^● tls  Docker .*  tcp 127\\.0\\.0\\.1:${tlsPort} \\(tls\\)$`));
		expect(rowNames(viaContext.stdout)).toEqual(['tls-box']);
		// The docker CLI reads the same directory the same way.
		const docker = await run('docker', ['--context', 'tls', 'ps', '--format', '{{.Names}}'], {env: cleanEnv({DOCKER_CONFIG: config.dir})});
		expect(docker.stdout.trim()).toBe('tls-box');

		// The same daemon through DOCKER_TLS_VERIFY and DOCKER_CERT_PATH.
		const viaEnv = await cli(['--depth', '0', 'tree'], {
			DOCKER_HOST: `tcp://127.0.0.1:${tlsPort}`,
			DOCKER_TLS_VERIFY: '1',
			DOCKER_CERT_PATH: join(certs, 'client'),
		});
		expect(viaEnv.code, viaEnv.stderr).toBe(0);
		expect(rootLines(viaEnv.stdout)[0]).toMatch(new RegExp(`^● default  .*  tcp 127\\.0\\.0\\.1:${tlsPort} \\(tls\\)$`));

		// Without certificates the daemon refuses: one line, exit 1.
		const bare = await cli(['--context', 'tls-bare', 'tree'], {DOCKER_CONFIG: config.dir});
		expect(bare.code).toBe(1);
		expect(bare.stdout).toBe('');
		expect(bare.stderr.trim().split('\n')).toHaveLength(1);
		expect(bare.stderr).toMatch(new RegExp(`^dockerception: cannot reach the Docker daemon at tcp://127\\.0\\.0\\.1:${tlsPort} \\(context "tls-bare"\\): `));
	});

	it('--all-contexts prints one tree per context, the default first; an unreachable one is part of the output', async () => {
		// --depth 0: the TLS DinD is also a container of the lab; walked there it would be one daemon twice.
		const result = await cli(['--all-contexts', '--depth', '0', 'tree'], {DOCKER_CONFIG: config.dir, DOCKER_HOST: missingSocket});
		expect(result.code, result.stderr).toBe(0);
		const roots = rootLines(result.stdout);
		expect(roots.map((line) => line.split(/\s+/)[1])).toEqual(['default', 'lab', 'tls', 'tls-bare']);
		expect(roots[0]).toMatch(/^✕ default {2}unreachable: no socket at \/nonexistent-dcpt\/docker\.sock/);
		expect(roots[1]).toMatch(/^● lab {2}Docker /);
		expect(roots[2]).toMatch(/^● tls {2}Docker .*\(tls\)$/);
		expect(roots[3]).toMatch(/^✕ tls-bare {2}unreachable: /);
		// Each root's containers under it: the lab's first, then the TLS daemon's.
		const lines = result.stdout.split('\n');
		const at = (text: string) => lines.findIndex((line) => line.includes(text));
		expect(at('opt-outer')).toBeGreaterThan(lines.indexOf(roots[1]!));
		expect(at('opt-outer')).toBeLessThan(lines.indexOf(roots[2]!));
		expect(at('tls-box')).toBeGreaterThan(lines.indexOf(roots[2]!));
		expect(at('tls-box')).toBeLessThan(lines.indexOf(roots[3]!));
	});

	it('--depth N walks N daemon levels below the host and marks the next one', async () => {
		const tree = async (depth: string) => {
			const result = await cli(['--depth', depth, 'tree'], {DOCKER_HOST: labHost()});
			expect(result.code, result.stderr).toBe(0);
			return result.stdout;
		};
		const none = await tree('0');
		expect(rowNames(none)).toEqual(expect.arrayContaining(['opt-outer', 'opt-tls']));
		expect(rowNames(none)).not.toContain('opt-mid');
		expect(rowOf(none, 'opt-outer')).toMatch(/unreachable: deeper than --depth 0$/);

		const one = await tree('1');
		expect(rowNames(one)).toEqual(expect.arrayContaining(['opt-outer', 'opt-mid', 'opt-inner', 'tls-box']));
		expect(rowNames(one)).not.toContain('opt-leaf');
		expect(rowOf(one, 'opt-outer')).toMatch(/⇢ Docker 20\.10\.\d+ · 2 ctrs$/);
		expect(rowOf(one, 'opt-inner')).toMatch(/unreachable: deeper than --depth 1$/);

		const two = await tree('2');
		expect(rowNames(two)).toContain('opt-leaf');
		expect(rowOf(two, 'opt-inner')).toMatch(/⇢ Docker 20\.10\.\d+ · 1 ctr$/);
		// opt-leaf sits one level deeper than opt-mid.
		const indent = (name: string) =>
			two
				.split('\n')
				.find((line) => line.includes(`─ ● ${name}`))!
				.indexOf(name);
		expect(indent('opt-leaf')).toBe(indent('opt-mid') + 3);
	});

	it('--timeout: a paused daemon is given up after about that long, not the default 5 s', async () => {
		// What a run costs besides waiting (start-up, a busy machine): the same command answered.
		const answered = await cli(['--context', 'tls', '--timeout', '2s', '--depth', '0', 'tree'], {DOCKER_CONFIG: config.dir});
		expect(answered.code, answered.stderr).toBe(0);
		await host.docker.getContainer('opt-tls').pause();
		try {
			const attempt = (timeout: string) => cli(['--context', 'tls', '--timeout', timeout, '--depth', '0', 'tree'], {DOCKER_CONFIG: config.dir});
			const quick = await attempt('2s');
			expect(quick.code).toBe(1);
			expect(quick.stderr.trim().split('\n')).toHaveLength(1);
			expect(quick.stderr).toMatch(/\(context "tls"\): timeout \(the daemon does not answer\)/);
			const slower = await attempt('4s');
			expect(slower.code).toBe(1);
			expect(slower.stderr).toMatch(/timeout \(the daemon does not answer\)/);
			console.log(
				`[options] paused daemon given up after ${quick.ms} ms with --timeout 2s, ${slower.ms} ms with --timeout 4s (${answered.ms} ms when it answers)`,
			);
			// Each waits its own timeout: not less, and well short of twice that (2 s: short of the default 5 s).
			expect(quick.ms).toBeGreaterThanOrEqual(2000);
			expect(quick.ms - answered.ms).toBeLessThan(3500);
			expect(slower.ms).toBeGreaterThanOrEqual(4000);
			expect(slower.ms - answered.ms).toBeLessThan(6500);
		} finally {
			await host.docker.getContainer('opt-tls').unpause();
		}
	});

	it('--timeout: a hung daemon in the tree is marked after about that long and the rest is printed', async () => {
		// dockerd in opt-outer stopped (SIGSTOP from the host): its container still runs.
		const {State: state} = await host.docker.getContainer('opt-outer').inspect();
		// Within 30 s of its start a DinD that does not answer is shown as booting ("connecting"):
		// the hang is only called one once the container is past that grace.
		const pastGrace = Date.parse(state.StartedAt) + 31_000;
		await eventually(() => Date.now() > pastGrace, 40_000, 'opt-outer past its boot grace');
		const pid = state.Pid;
		process.kill(pid, 'SIGSTOP');
		try {
			const result = await cli(['--timeout', '1s', 'tree'], {DOCKER_HOST: labHost()});
			console.log(`[options] hung inner daemon marked after ${result.ms} ms with --timeout 1s`);
			expect(result.code, result.stderr).toBe(0);
			expect(rowOf(result.stdout, 'opt-outer')).toMatch(/unreachable: timeout \(the daemon does not answer\)$/);
			expect(rowNames(result.stdout)).toEqual(expect.arrayContaining(['opt-tls', 'tls-box']));
			expect(rowNames(result.stdout)).not.toContain('opt-mid');
			expect(result.ms).toBeLessThan(5000);
		} finally {
			process.kill(pid, 'SIGCONT');
		}
		await waitForDaemon(outer.client, 30_000);
	});

	it('diff --all also prints the equal and the volatile fields that diff leaves out', async () => {
		const env = {DOCKER_HOST: labHost()};
		const dataRows = (text: string) =>
			text
				.split('\n')
				.slice(1)
				.filter((line) => line !== '' && !/^\s+↳ /.test(line) && !/fields equal/.test(line) && !/^(same kernel|both paths|no differences)/.test(line));
		const short = await cli(['diff', 'default', 'default/opt-outer'], env);
		expect(short.code, short.stderr).toBe(1);
		const hidden = /^(\d+) fields equal, (\d+) volatile \(times, counters, IDs\) \(--all shows them\)$/m.exec(short.stdout);
		expect(hidden, short.stdout).not.toBeNull();
		const different = dataRows(short.stdout);
		expect(different.length).toBeGreaterThan(0);
		expect(different.some((row) => row.startsWith('ID '))).toBe(false);

		const all = await cli(['diff', '--all', 'default', 'default/opt-outer'], env);
		expect(all.code, all.stderr).toBe(1);
		expect(all.stdout).not.toMatch(/--all shows them/);
		const rows = dataRows(all.stdout);
		expect(rows).toHaveLength(different.length + Number(hidden![1]) + Number(hidden![2]));
		// A volatile field (the daemon IDs) and an equal one (the kernel both run on).
		const [labId, outerId] = await Promise.all([host.docker.info(), outer.client.docker.info()]).then((infos) =>
			infos.map((info) => (info as {ID: string}).ID),
		);
		// (the first column is cut at 48 characters)
		expect(rows.find((row) => row.startsWith('ID '))).toMatch(new RegExp(`^ID\\s+${labId!.slice(0, 24)}\\S*\\s+${outerId}$`));
		expect(rows.find((row) => row.startsWith('KernelVersion '))).toMatch(/^KernelVersion\s+(\S+)\s+\1$/);
		expect(all.stdout).toMatch(/same kernel/);
	});

	it('forward --as-context: the context exists while the forward runs, reaches the forwarded daemon, and goes on ctrl-c', async () => {
		const runtimeDir = mkdtempSync(join(tmpdir(), 'dcpt-runtime-'));
		const env = cleanEnv({DOCKER_HOST: labHost(), DOCKER_CONFIG: config.dir, XDG_RUNTIME_DIR: runtimeDir});
		const docker = (...args: string[]) => run('docker', args, {env, timeout: 60_000});
		const child = spawn('node', [cliPath, 'forward', 'default/opt-outer/opt-inner', '--as-context', 'opt-fw'], {env, stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
		try {
			await eventually(() => /^export DOCKER_HOST=unix:\/\/\S+$/m.test(stdout) || child.exitCode !== null, 60_000, 'the forward serving');
			expect(child.exitCode, stderr).toBeNull();
			const socket = /^export DOCKER_HOST=unix:\/\/(\S+)$/m.exec(stdout)![1]!;
			expect(stderr).toMatch(/, docker context opt-fw; ctrl-c ends it/);
			expect((await docker('context', 'inspect', '--format', '{{.Endpoints.docker.Host}}', 'opt-fw')).stdout.trim()).toBe(`unix://${socket}`);
			expect((await docker('--context', 'opt-fw', 'ps', '--format', '{{.Names}}')).stdout.trim()).toBe('opt-leaf');
			// dockerception itself starts from it too.
			const tree = await cli(['--context', 'opt-fw', 'tree'], {DOCKER_CONFIG: config.dir});
			expect(rootLines(tree.stdout)[0]).toMatch(/^● opt-fw {2}Docker /);
			expect(rowNames(tree.stdout)).toEqual(['opt-leaf']);

			// A name that is already a context is refused; that context stays as it was.
			const taken = await cli(['forward', 'default/opt-outer', '--as-context', 'lab'], {
				DOCKER_HOST: labHost(),
				DOCKER_CONFIG: config.dir,
				XDG_RUNTIME_DIR: runtimeDir,
			});
			expect(taken.code).toBe(1);
			expect(taken.stdout).toBe('');
			expect(taken.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^dockerception: --as-context lab: docker context create failed: .*lab.*exists/)]);
			expect((await docker('context', 'inspect', '--format', '{{.Endpoints.docker.Host}}', 'lab')).stdout.trim()).toBe(labHost());

			child.kill('SIGINT');
			expect(await exited).toBe(0);
			expect(existsSync(socket)).toBe(false);
			expect((await docker('context', 'ls', '--format', '{{.Name}}')).stdout.split('\n')).not.toContain('opt-fw');
			expect(existsSync(config.metaDir('opt-fw'))).toBe(false);
		} finally {
			child.kill('SIGKILL');
			rmSync(runtimeDir, {recursive: true, force: true});
		}
	}, 120_000);
});

describe.skipIf(e2eSkipped)('--sandbox --keep', () => {
	// A state directory of its own: this sandbox's dockerd, socket and bridge are this test's.
	let stateHome: string;
	let stateDir: string;
	let pidFile: string;
	const alive = () => {
		if (!existsSync(pidFile)) return false;
		try {
			process.kill(Number(readFileSync(pidFile, 'utf8')), 0);
			return true;
		} catch {
			return false;
		}
	};

	beforeAll(() => {
		stateHome = mkdtempSync(join(tmpdir(), 'dcpt-keep-'));
		stateDir = join(stateHome, 'dockerception', 'sandbox');
		pidFile = join(stateDir, 'docker.pid');
	});

	afterAll(async () => {
		if (!stateHome) return;
		// Stopped the way the sandbox stops it (its bridge removed too), whatever the test left.
		if (alive()) await (await startPrivateDockerd({stateDir})).stop();
		rmSync(stateHome, {recursive: true, force: true});
	});

	it('quitting the TUI leaves the private dockerd running; the next start reuses it, and without --keep stops it', async () => {
		const session = new TmuxSession(`node ${cliPath} --sandbox --keep`, {
			env: {XDG_STATE_HOME: stateHome, LANG: 'C.UTF-8', DOCKER_HOST: missingSocket},
			columns: 200,
			rows: 30,
		});
		try {
			await session.waitFor((screen) => /sandbox\s+Docker 20\.10\.\d+ · 0 ctrs/.test(screen), 60_000, 'the sandbox root');
			session.keys('q');
			await session.waitFor((screen) => screen.includes('EXIT=0'), 30_000, 'the exit');
			expect(session.screen()).toMatch(/sandbox started at unix:\/\/\S+ in [\d.]+ s \(kept after quit\)/);
			expect(session.screen()).not.toContain('stopping the sandbox daemon');
		} finally {
			session.kill();
		}
		expect(alive()).toBe(true);
		const pid = readFileSync(pidFile, 'utf8').trim();

		// A script with --keep: the same daemon, still running afterwards.
		const kept = await cli(['--sandbox', '--keep', 'tree'], {XDG_STATE_HOME: stateHome});
		expect(kept.code, kept.stderr).toBe(0);
		expect(rootLines(kept.stdout)[0]).toMatch(/^● sandbox {2}Docker /);
		expect(kept.stderr).toMatch(/sandbox reused at unix:\/\/\S+ in [\d.]+ s \(kept after quit\)/);
		expect(readFileSync(pidFile, 'utf8').trim()).toBe(pid);
		expect(alive()).toBe(true);

		// Without --keep: reused, then stopped.
		const last = await cli(['--sandbox', 'tree'], {XDG_STATE_HOME: stateHome});
		expect(last.code, last.stderr).toBe(0);
		expect(last.stderr).toMatch(/sandbox reused at /);
		expect(last.stderr).toContain('stopping the sandbox daemon');
		expect(alive()).toBe(false);
	}, 180_000);
});
