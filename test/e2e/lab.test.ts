import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest';
import type {DaemonClient} from '../../source/daemon/client.js';
import {bridgeFor} from '../../source/private-daemon/private-dockerd.js';
import {e2eSkipped, labClient, removeContainers, runBusybox, startDind, type StartedDaemonContainer} from '../lab/lab.js';

describe.skipIf(e2eSkipped)('the lab', () => {
	let host: DaemonClient;
	let dind: StartedDaemonContainer;

	beforeAll(async () => {
		host = labClient();
		await removeContainers(host, ['lab-test-dind']);
		dind = await startDind(host, 'lab-test-dind');
	});

	afterAll(async () => {
		dind?.client.close();
		if (host) await removeContainers(host, ['lab-test-dind']);
		host?.close();
	});

	it('is not reached on the default socket', () => {
		expect(host.route).not.toContain('/var/run/docker.sock');
	});

	// The daemon the setup starts keeps off what is yours: its data under the lab's state
	// directory, not /var/lib/docker; its containers on a bridge of its own, not docker0.
	it.skipIf(Boolean(process.env.DOCKERCEPTION_LAB_HOST))('keeps its data and its bridge apart from a dockerd of your own', async () => {
		const {stateDir} = inject('lab');
		expect(stateDir).toBeTruthy();
		const info = await host.docker.info();
		expect(info.DockerRootDir).toBe(join(stateDir!, 'data'));
		const bridge = (await host.docker.getNetwork('bridge').inspect()) as {Options?: Record<string, string>};
		expect(bridge.Options?.['com.docker.network.bridge.name']).toBe(bridgeFor(stateDir!).name);
		expect(bridge.Options?.['com.docker.network.bridge.name']).not.toBe('docker0');
	});

	it('runs a busybox container inside a DinD container and lists it through the API', async () => {
		await runBusybox(dind.client, 'inner-busybox');
		const inner = await dind.client.docker.listContainers({all: true});
		expect(inner.map((c) => c.Names[0])).toContain('/inner-busybox');
		expect(inner.find((c) => c.Names[0] === '/inner-busybox')?.State).toBe('running');
		// The inner daemon is another daemon: the host does not see the inner container.
		const outer = await host.docker.listContainers({all: true});
		expect(outer.map((c) => c.Names[0])).not.toContain('/inner-busybox');
		const [innerInfo, outerInfo] = await Promise.all([dind.client.docker.info(), host.docker.info()]);
		expect(innerInfo.ID).not.toBe(outerInfo.ID);
		expect(innerInfo.OperatingSystem).toContain('(containerized)');
	});
});
