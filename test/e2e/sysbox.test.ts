import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonClient} from '../../source/daemon/client.js';
import {copyImage} from '../../source/daemon/image-copy.js';
import {availableModes} from '../../source/daemon/sandbox-containers.js';
import type {JsonDaemon} from '../../source/output/json-snapshot.js';
import {e2eSkipped, labClient, labHost, offlineImages, removeContainers, runBusybox, waitForDaemon} from '../lab/lab.js';

/**
 * The sysbox path end to end, on the lab's STAND-IN runtime (test/lab/sysbox-stand-in.ts,
 * registered as `sysbox-runc`; real sysbox cannot be installed here): the mode is offered
 * because /info lists the runtime, the sandbox runs under it without --privileged, it is
 * classified by its runtime, and the daemon inside is reached on both routes.
 */

const run = promisify(execFile);
/** As .ci/summary.mjs reads it: CI set, and not "0" or "false". */
const inCi = !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase());
const cli = (...args: string[]) => run('node', ['dist/bin/cli.js', ...args], {env: {...process.env, DOCKER_HOST: labHost()}, timeout: 120_000});

describe.skipIf(e2eSkipped)('sysbox sandboxes (stand-in runtime)', () => {
	let host: DaemonClient;
	let inner: DaemonClient | undefined;
	/**
	 * The lab the setup starts always registers the stand-in, and CI runs every test: only on a
	 * daemon of your own (DOCKERCEPTION_LAB_HOST) without sysbox-runc, outside CI, do these skip.
	 */
	let skipWhy: string | undefined;

	beforeAll(async () => {
		host = labClient();
		await removeContainers(host, ['sysbox-1']);
		const listed = (await availableModes(host)).includes('sysbox');
		if (!listed && process.env.DOCKERCEPTION_LAB_HOST && !inCi) skipWhy = 'DOCKERCEPTION_LAB_HOST has no sysbox-runc runtime';
	});

	afterAll(async () => {
		inner?.close();
		if (host) await removeContainers(host, ['sysbox-1']);
		host?.close();
	});

	it('is offered because the daemon lists sysbox-runc, and spawns without --privileged', async (context) => {
		if (skipWhy) return context.skip(skipWhy);
		expect(await availableModes(host), 'modes the lab daemon offers (the stand-in registers sysbox-runc)').toContain('sysbox');
		const {stdout, stderr} = await cli('spawn', '--mode', 'sysbox', '--name', 'sysbox-1');
		expect(stdout.trim()).toBe('default/sysbox-1');
		expect(stderr).toContain('sysbox sandbox default/sysbox-1');
		const info = await host.docker.getContainer('sysbox-1').inspect();
		expect(info.HostConfig.Runtime).toBe('sysbox-runc');
		expect(info.HostConfig.Privileged).toBe(false);
		expect(info.HostConfig.CapAdd ?? []).toEqual([]);
		expect(info.Config.Labels?.['io.dockerception.mode']).toBe('sysbox');
		// Its own daemon runs containers (cgroups, mounts and devices work under the runtime).
		inner = host.tunnelTo(info.Id, 'exec tunnel via sysbox-1', 30_000);
		await waitForDaemon(inner);
		await copyImage(host, inner, offlineImages.busybox);
		await runBusybox(inner, 'in-sysbox');
	});

	for (const tunnelOnly of [false, true]) {
		it(`is shown as sysbox with its daemon and container (${tunnelOnly ? 'exec tunnel' : '/proc socket'})`, async (context) => {
			if (skipWhy) return context.skip(skipWhy);
			const {stdout} = await cli('--json', ...(tunnelOnly ? ['--tunnel-only'] : []));
			const root = (JSON.parse(stdout) as {roots: JsonDaemon[]}).roots[0]!;
			const sandbox = root.containers.find((container) => container.name === 'sysbox-1');
			expect(sandbox?.kind).toBe('sysbox');
			expect(sandbox?.runtime).toBe('sysbox-runc');
			expect(sandbox?.privileged).toBe(false);
			expect(sandbox?.daemon?.status).toBe('ready');
			expect(sandbox?.daemon?.route).toMatch(tunnelOnly ? /^exec tunnel/ : /^unix socket \/proc\/\d+\/root\//);
			expect(sandbox?.daemon?.containers.map((container) => container.name)).toContain('in-sysbox');
		});
	}
});
