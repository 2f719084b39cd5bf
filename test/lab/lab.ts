import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, inject} from 'vitest';
import {clientForTransport, type DaemonClient} from '../../source/daemon/client.js';
import {parseHost} from '../../source/daemon/endpoint.js';
import {offlineImages} from '../../source/private-daemon/offline-images.js';
import * as topology from './topology.js';
import {labLabels} from './names.js';

export {offlineImages};
export {removeContainers, removeNetworks, waitForDaemon, referenceNames, type StartedDaemonContainer} from './topology.js';

const state = inject('lab');

/**
 * True only when the user asked for it (DOCKERCEPTION_E2E=0), or, in the docker-group seat,
 * when the lab runs on a daemon of the contributor's own (no socket of its own to give a group).
 */
export const e2eSkipped = Boolean(state.skip) || (inject('seat') === 'group' && Boolean(state.seatSkipped));

/** The lab's host URL; a lab that could not be provisioned fails the test with its reason. */
export function labHost(): string {
	if (state.error) throw new Error(state.error);
	if (!state.host) throw new Error('lab not provisioned (run the tests through vitest with the e2e project)');
	return state.host;
}

/** The last lines of the lab dockerd's log, for a test that failed waiting on it. */
export function labLogTail(lines = 12): string {
	if (!state.stateDir) return '(the lab daemon is not ours: no log)';
	const file = join(state.stateDir, 'dockerd.log');
	if (!existsSync(file)) return `(no ${file})`;
	const tail = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines);
	return `last lines of ${file}:\n${tail.join('\n')}`;
}

export function labSocketPath(): string {
	return labHost().replace(/^unix:\/\//, '');
}

export function labClient(timeoutMs = 30_000): DaemonClient {
	return clientForTransport(parseHost(labHost(), 'lab'), timeoutMs);
}

/** Everything the lab makes carries the lab label, so teardown can find it. */
const withLab = {labels: labLabels};

export function startDind(parent: DaemonClient, name: string, images?: string[]) {
	return topology.startDind(parent, name, images, withLab);
}

export function runBusybox(client: DaemonClient, name: string, options: Parameters<typeof topology.runBusybox>[2] = {}) {
	return topology.runBusybox(client, name, {...options, labels: {...options.labels, ...labLabels}});
}

export function buildReferenceTopology(host: DaemonClient) {
	return topology.buildReferenceTopology(host, labSocketPath(), withLab);
}

/**
 * The reference topology for one describe block: built before its tests, its host
 * containers removed after. Read `host` and `topology` inside tests, not at collection time.
 */
export function useReferenceTopology(): {host: DaemonClient; topology: topology.ReferenceTopology} {
	const lab = {} as {host: DaemonClient; topology: topology.ReferenceTopology};
	beforeAll(async () => {
		lab.host = labClient();
		lab.topology = await buildReferenceTopology(lab.host);
	});
	afterAll(async () => {
		lab.topology?.close();
		if (lab.host) await topology.removeContainers(lab.host, topology.referenceNames.host);
		lab.host?.close();
	});
	return lab;
}
