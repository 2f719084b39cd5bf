import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonClient} from '../../source/daemon/client.js';
import {startDindContainer} from '../../source/daemon/dind-container.js';
import {Explorer} from '../../source/daemon/explorer.js';
import type {JsonDaemon} from '../../source/output/json-snapshot.js';
import {containersAt} from '../../source/store/selectors.js';
import {createTreeStore} from '../../source/store/store.js';
import {makeCertificates} from '../lab/certs.js';
import {e2eSkipped, labClient, labHost, offlineImages, removeContainers, removeNetworks} from '../lab/lab.js';
import {named, until} from '../lab/live.js';
import {labLabels} from '../lab/names.js';
import {groupSeat, runCli} from '../lab/seat.js';

/**
 * Clients of a daemon, in the two shapes real setups have, built with the Docker API:
 * - the classic compose file: a `dockerd` service (plain 2375) and a `docker` client service
 *   with DOCKER_HOST=tcp://dockerd:2375 on the project network (the client image declares a
 *   /var/lib/docker volume, so it looks like DinD); and a client without a docker CLI;
 * - GitLab CI: a service named `docker` with TLS on 2376, the job with DOCKER_HOST=tcp://docker:2376,
 *   DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH=/certs/client from a shared /certs.
 */

const names = ['seed_dockerd_1', 'seed_docker_1', 'seed_nocli_1', 'gitlab-service', 'gitlab-job', 'remote-job'];
const networks = ['seed_default', 'gitlab_default'];

describe.skipIf(e2eSkipped)('clients of a daemon', () => {
	let host: DaemonClient;
	let certs: string;

	beforeAll(async () => {
		host = labClient();
		await removeContainers(host, names);
		await removeNetworks(host, networks);
		for (const name of networks) await host.docker.createNetwork({Name: name, Labels: labLabels});
		const joinNetwork = (name: string, network: string, alias: string) =>
			host.docker.getNetwork(network).connect({Container: name, EndpointConfig: {Aliases: [alias]}});

		await startDindContainer(host.docker, {
			image: offlineImages.dind,
			name: 'seed_dockerd_1',
			labels: labLabels,
			cmd: ['dockerd', '--host=unix:///var/run/docker.sock', '--host=tcp://0.0.0.0:2375'],
		});
		await joinNetwork('seed_dockerd_1', 'seed_default', 'dockerd');
		for (const [name, image, entrypoint] of [
			['seed_docker_1', offlineImages.dind, ['sleep', '600']],
			['seed_nocli_1', offlineImages.busybox, ['sleep', '600']],
		] as const) {
			const client = await host.docker.createContainer({
				Image: image,
				name,
				Entrypoint: [...entrypoint],
				Env: ['DOCKER_HOST=tcp://dockerd:2375'],
				Labels: labLabels,
				Volumes: {'/var/lib/docker': {}},
				HostConfig: {NetworkMode: 'seed_default'},
			});
			await client.start();
		}

		certs = mkdtempSync(join(tmpdir(), 'dcpt-gitlab-certs-'));
		makeCertificates(certs, ['docker']);
		await startDindContainer(host.docker, {
			image: offlineImages.dind,
			name: 'gitlab-service',
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
		await joinNetwork('gitlab-service', 'gitlab_default', 'docker');
		// A job on the host's network that reaches the service by its published port: no
		// container on its networks answers, only its own docker CLI can say where it goes.
		const published = (await host.docker.getContainer('gitlab-service').inspect()).NetworkSettings.Ports['2376/tcp']![0]!.HostPort;
		const remote = await host.docker.createContainer({
			Image: offlineImages.dind,
			name: 'remote-job',
			Entrypoint: ['sleep', '600'],
			Env: [`DOCKER_HOST=tcp://127.0.0.1:${published}`, 'DOCKER_TLS_VERIFY=1', 'DOCKER_CERT_PATH=/certs/client'],
			Labels: labLabels,
			HostConfig: {NetworkMode: 'host', Binds: [`${certs}:/certs:ro`]},
		});
		await remote.start();
		const job = await host.docker.createContainer({
			Image: offlineImages.dind,
			name: 'gitlab-job',
			Entrypoint: ['sleep', '600'],
			Env: ['DOCKER_HOST=tcp://docker:2376', 'DOCKER_TLS_VERIFY=1', 'DOCKER_CERT_PATH=/certs/client'],
			Labels: labLabels,
			HostConfig: {NetworkMode: 'gitlab_default', Binds: [`${certs}:/certs:ro`]},
		});
		await job.start();
	});

	afterAll(async () => {
		if (host) {
			await removeContainers(host, names);
			await removeNetworks(host, networks);
		}
		host?.close();
		if (certs) rmSync(certs, {recursive: true, force: true});
	});

	// The library in this process (root's either way): once.
	for (const tunnelsOnly of groupSeat ? [] : [true, false]) {
		it(`each client names the daemon it reaches (${tunnelsOnly ? 'exec tunnels' : '/proc shortcut'})`, async () => {
			const store = createTreeStore();
			const explorer = new Explorer({
				endpoints: [{name: 'default', url: labHost(), source: 'lab', transport: {kind: 'unix', socketPath: labHost().replace(/^unix:\/\//, '')}}],
				timeoutMs: 5000,
				maxDepth: 3,
				dispatch: store.dispatch,
				containers: (path) => containersAt(store.getState(), path),
				tunnelsOnly,
			});
			explorer.start();
			try {
				const expected = [
					['seed_docker_1', 'default/seed_dockerd_1'],
					['seed_nocli_1', 'default/seed_dockerd_1'],
					['gitlab-job', 'default/gitlab-service'],
					['remote-job', 'default/gitlab-service'],
				] as const;
				await until(store, (tree) => expected.every(([name, target]) => named(tree, 'default', name)?.clientOf === target), 30_000, 'every client resolved');
				const tree = store.getState();
				for (const [name] of expected) {
					expect(named(tree, 'default', name)?.kind, name).toBe('client');
					// A client is not walked as a DinD: no daemon inside it.
					expect(tree.daemons[`default/${name}`], name).toBeUndefined();
				}
				// The daemon they reach is the one inside the service (plain tcp: dockerd 20.10 starts 15 s late).
				await until(
					store,
					(t) => t.daemons['default/seed_dockerd_1']?.status === 'ready' && t.daemons['default/gitlab-service']?.status === 'ready',
					40_000,
					'the service daemons ready',
				);
			} finally {
				explorer.stop();
			}
		});
	}

	it('--json says clientOf', async () => {
		const {stdout} = await runCli(['--json'], {timeout: 60_000});
		const root = (JSON.parse(stdout) as {roots: JsonDaemon[]}).roots[0]!;
		const job = root.containers.find((container) => container.name === 'gitlab-job');
		expect(job?.kind).toBe('client');
		expect(job?.clientOf).toBe('default/gitlab-service');
	});
});
