import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonClient} from '../../source/daemon/client.js';
import {startDindContainer} from '../../source/daemon/dind-container.js';
import type {JsonDaemon} from '../../source/output/json-snapshot.js';
import {e2eSkipped, labClient, labHost, offlineImages, removeContainers, removeNetworks} from '../lab/lab.js';
import {eventually} from '../lab/live.js';
import {labLabels} from '../lab/names.js';
import {glyphColumn, TmuxSession} from '../lab/tmux.js';

/**
 * Three daemons with something wrong, built for real: a DinD on the vfs storage driver, a DinD
 * on a network with MTU 1400 whose inner daemon keeps 1500, and two DinD containers given the
 * same host directory as /var/lib/docker. Each is found in --json, marked in the TUI and said
 * by `doctor`.
 */

const run = promisify(execFile);
const names = ['health-vfs', 'health-mtu', 'health-share-1', 'health-share-2'];
const expected: Array<[string, string]> = [
	['health-vfs', 'storage-vfs'],
	['health-mtu', 'mtu'],
];
/**
 * The second daemon on a shared data root hangs on the first one's locks or exits, depending on
 * timing; a stopped sibling shares nothing any more. So the error is on whichever of the two
 * still has a running sibling: at least one of them, naming the other.
 */
const sharers = ['health-share-1', 'health-share-2'];

async function cli(...args: string[]): Promise<{stdout: string; code: number}> {
	try {
		const {stdout} = await run('node', ['dist/bin/cli.js', ...args], {env: {...process.env, DOCKER_HOST: labHost()}, timeout: 60_000});
		return {stdout, code: 0};
	} catch (error) {
		const failed = error as {stdout: string; code: number};
		return {stdout: failed.stdout, code: failed.code};
	}
}

describe.skipIf(e2eSkipped)('health: what is wrong with a daemon, and the fix', () => {
	let host: DaemonClient;
	const shared = mkdtempSync(join(tmpdir(), 'dcpt-shared-data-root-'));

	beforeAll(async () => {
		host = labClient();
		await removeContainers(host, names);
		await removeNetworks(host, ['health-mtu-net']);
		await host.docker.createNetwork({Name: 'health-mtu-net', Labels: labLabels, Options: {'com.docker.network.driver.mtu': '1400'}});
		const dind = (name: string, options: {cmd?: string[]; hostConfig?: object} = {}) =>
			startDindContainer(host.docker, {image: offlineImages.dind, name, labels: labLabels, ...options});
		await dind('health-vfs', {cmd: ['dockerd', '--host=unix:///var/run/docker.sock', '--storage-driver', 'vfs']});
		await dind('health-mtu', {hostConfig: {NetworkMode: 'health-mtu-net'}});
		await dind('health-share-1', {hostConfig: {Binds: [`${shared}:/var/lib/docker`]}});
		await dind('health-share-2', {hostConfig: {Binds: [`${shared}:/var/lib/docker`]}});
	}, 120_000);

	afterAll(async () => {
		if (host) {
			await removeContainers(host, names);
			await removeNetworks(host, ['health-mtu-net']);
		}
		host?.close();
		rmSync(shared, {recursive: true, force: true});
	});

	it('--json gives each its code, with a fix', async () => {
		let root: JsonDaemon | undefined;
		// The inner daemons answer a few seconds after their containers start.
		await eventually(
			async () => {
				root = (JSON.parse((await cli('--json')).stdout) as {roots: JsonDaemon[]}).roots[0];
				const has = (name: string, code: string) => root?.containers.find((c) => c.name === name)?.daemon?.health.some((finding) => finding.code === code);
				return expected.every(([name, code]) => has(name, code)) && sharers.some((name) => has(name, 'shared-data-root'));
			},
			60_000,
			'every finding in --json',
		);
		const health = (name: string) => root!.containers.find((container) => container.name === name)!.daemon!.health;
		expect(health('health-vfs').find((finding) => finding.code === 'storage-vfs')).toMatchObject({
			severity: 'warning',
			fix: expect.stringContaining('overlay2'),
		});
		expect(health('health-mtu').find((finding) => finding.code === 'mtu')).toMatchObject({
			message: expect.stringContaining('1500'),
			fix: expect.stringContaining('--mtu 1400'),
		});
		const shared = sharers.flatMap((name) =>
			health(name)
				.filter((finding) => finding.code === 'shared-data-root')
				.map((finding) => [name, finding] as const),
		);
		expect(shared.length).toBeGreaterThan(0);
		for (const [name, finding] of shared)
			expect(finding).toMatchObject({severity: 'error', message: expect.stringContaining(sharers.find((other) => other !== name)!)});
		// The lab's own daemon has nothing to fix (notes, such as privileged children, aside).
		expect(root!.health.filter((finding) => finding.severity !== 'info')).toEqual([]);
	}, 90_000);

	it('doctor says each on a line with its fix, and exits 1 for the error', async () => {
		const {stdout, code} = await cli('doctor', '--no-color');
		expect(code).toBe(1);
		for (const [name, finding] of expected) expect(stdout).toMatch(new RegExp(`^default/${name}  warning  ${finding}: .+\\n    fix: .+`, 'm'));
		expect(stdout).toMatch(/^default\/health-share-[12] {2}error {2}shared-data-root: .+\n {4}fix: .+/m);
		const scoped = await cli('doctor', '--no-color', 'default/health-vfs');
		expect(scoped.code).toBe(0);
		expect(scoped.stdout).toContain('storage-vfs');
		expect(scoped.stdout).not.toContain('shared-data-root');
	}, 90_000);

	it('the TUI marks each row', async () => {
		const ui = new TmuxSession('node dist/bin/cli.js', {env: {DOCKER_HOST: labHost(), LANG: 'C.UTF-8'}, columns: 200, rows: 40});
		try {
			await ui.waitFor(
				(screen) => {
					const marked = (name: string) => screen.split('\n').some((line) => glyphColumn(line, name) >= 0 && line.includes('⚠ '));
					return expected.every(([name]) => marked(name)) && sharers.some(marked);
				},
				30_000,
				'a mark on each row',
			);
		} finally {
			ui.kill();
		}
	}, 60_000);
});
