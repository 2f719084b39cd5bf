#!/usr/bin/env node
// Remove the lab's containers and stop the lab dockerd started by lab-up.mjs.
import {homedir} from 'node:os';
import {join} from 'node:path';
import {clientForTransport} from '../dist/daemon/client.js';
import {parseHost} from '../dist/daemon/endpoint.js';
import {startPrivateDockerd} from '../dist/private-daemon/private-dockerd.js';

const stateDir = process.env.DOCKERCEPTION_LAB_DIR || join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'dockerception', 'lab');
const daemon = await startPrivateDockerd({stateDir});
const client = clientForTransport(parseHost(daemon.host, 'lab'), 30_000);
const containers = await client.docker.listContainers({all: true});
await Promise.all(
	containers.map((c) =>
		client.docker
			.getContainer(c.Id)
			.remove({force: true, v: true})
			.catch(() => {}),
	),
);
client.close();
await daemon.stop();
console.log(`stopped ${daemon.host}`);
