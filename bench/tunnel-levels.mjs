#!/usr/bin/env node
// Cost of reaching a nested daemon, per level: opening the route and the first request
// through it, then a warm request. Exec tunnels (any host, any user) and the /proc shortcut
// (root on the daemon's host). Needs the lab with the reference topology.
import {clientForPinnedSocket, clientForTransport} from '../dist/daemon/client.js';
import {hostProcRoot, procSocketFor} from '../dist/daemon/proc-socket.js';
import {fmt, labHost, median, printTable} from './lib.mjs';

const runs = Number(process.env.RUNS ?? 7);
const root = clientForTransport({kind: 'unix', socketPath: labHost().slice(7)}, 10_000);
const rows = [];

async function measure(label, open) {
	const first = [];
	const warm = [];
	for (let run = 0; run < runs; run++) {
		const started = performance.now();
		const {client, cleanup} = await open();
		await client.docker.ping();
		first.push(performance.now() - started);
		const again = performance.now();
		await client.docker.ping();
		warm.push(performance.now() - again);
		cleanup();
	}
	rows.push([label, fmt(median(first)), `${median(warm).toFixed(1)} ms`]);
}

await measure('level 0: host daemon, unix socket', async () => {
	const client = clientForTransport({kind: 'unix', socketPath: labHost().slice(7)}, 10_000);
	return {client, cleanup: () => client.close()};
});
await measure('level 1: exec tunnel into dind-b', async () => {
	const client = root.tunnelTo('dind-b', 'bench');
	return {client, cleanup: () => client.close()};
});
await measure('level 2: exec tunnel into dind-b1 through a fresh level-1 tunnel', async () => {
	const one = root.tunnelTo('dind-b', 'bench');
	const two = one.tunnelTo('dind-b1', 'bench');
	return {client: two, cleanup: () => (two.close(), one.close())};
});
const inspectB = await root.docker.getContainer('dind-b').inspect();
await measure('level 1: /proc shortcut into dind-b', async () => {
	const client = clientForPinnedSocket(procSocketFor(hostProcRoot, inspectB.State.Pid, inspectB.Id), 10_000);
	return {client, cleanup: () => client.close()};
});
const pinnedB = procSocketFor(hostProcRoot, inspectB.State.Pid, inspectB.Id);
const viaB = clientForPinnedSocket(pinnedB, 10_000);
const inspectB1 = await viaB.docker.getContainer('dind-b1').inspect();
await measure('level 2: /proc shortcut into dind-b1', async () => {
	const client = clientForPinnedSocket(procSocketFor(pinnedB.root, inspectB1.State.Pid, inspectB1.Id), 10_000);
	return {client, cleanup: () => client.close()};
});
viaB.close();
root.close();
printTable(`Reaching a daemon (median of ${runs})`, ['route', 'open + first /_ping', 'warm /_ping'], rows);
