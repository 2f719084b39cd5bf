import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonClient} from '../../source/daemon/client.js';
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

	it('is a private daemon, not the default socket', async () => {
		const info = await host.docker.info();
		expect(host.route).not.toContain('/var/run/docker.sock');
		expect(info.ServerVersion).toBeTruthy();
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
