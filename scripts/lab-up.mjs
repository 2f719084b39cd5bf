#!/usr/bin/env node
// Start the private lab dockerd (the same one the tests use) and build the reference
// topology on it, for benchmarks, screenshots and trying dockerception by hand.
// Usage: node scripts/lab-up.mjs [--topology]   (after npm run build; needs root)
// Prints the DOCKER_HOST to use (and on stderr the one for the docker-group seat, test/lab/seat-user.ts). Stop it with: node scripts/lab-down.mjs
import {homedir} from 'node:os';
import {join} from 'node:path';
import {clientForTransport} from '../dist/daemon/client.js';
import {parseHost} from '../dist/daemon/endpoint.js';
import {ensureBusyboxImage, ensureDindImage} from '../dist/private-daemon/offline-images.js';
import {startPrivateDockerd} from '../dist/private-daemon/private-dockerd.js';
import {buildReferenceTopology} from '../dist/lab/topology.js';
import {writeSysboxStandIn} from '../dist/lab/sysbox-stand-in.js';
import {ensureSeat} from '../dist/lab/seat-user.js';

const stateDir = process.env.DOCKERCEPTION_LAB_DIR || join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'dockerception', 'lab');
// With the docker-group seat's socket, as the tests start it (so they reuse this daemon).
const {sockets} = ensureSeat(stateDir);
const daemon = await startPrivateDockerd({stateDir, runtimes: {'sysbox-runc': writeSysboxStandIn(stateDir)}, sockets});
const client = clientForTransport(parseHost(daemon.host, 'lab'), 60_000);
await ensureBusyboxImage(client.streams, join(stateDir, 'build'));
await ensureDindImage(client.streams, join(stateDir, 'build'), undefined, (step) => console.error(`[lab] ${step}`));
if (process.argv.includes('--topology')) {
	const started = Date.now();
	const topology = await buildReferenceTopology(client, daemon.socketPath, {
		labels: {'io.dockerception.lab': 'true'},
		progress: (step) => console.error(`[lab] ${step}`),
	});
	topology.close();
	console.error(`[lab] reference topology built in ${Date.now() - started} ms`);
}
client.close();
console.error(`[lab] for the docker-group seat (user dockerception-seat): unix://${sockets.paths[0]}`);
console.log(daemon.host);
