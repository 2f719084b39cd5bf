import type {TestProject} from 'vitest/node';
import {clientForTransport} from '../../source/daemon/client.js';
import {parseHost} from '../../source/daemon/endpoint.js';
import {oneLine} from '../../source/errors.js';
import {provisionLab} from './provision.js';
import {labLabel} from './names.js';

export interface LabState {
	/** DOCKERCEPTION_E2E=0: end-to-end tests are reported as skipped. */
	skip?: boolean;
	/** Why the lab could not be provisioned: end-to-end tests fail with this line. */
	error?: string;
	host?: string;
	stateDir?: string;
}

declare module 'vitest' {
	export interface ProvidedContext {
		lab: LabState;
	}
	/** `{meta: {allowSkip: 'why'}}` in a test's options: CI lists its skip instead of failing it (.ci/summary.mjs). */
	export interface TaskMeta {
		allowSkip?: string;
	}
}

export default async function setup(project: TestProject) {
	if (process.env.DOCKERCEPTION_E2E === '0') {
		project.provide('lab', {skip: true});
		return;
	}
	let lab;
	try {
		lab = await provisionLab();
	} catch (error) {
		project.provide('lab', {error: `lab not provisioned: ${oneLine(error)}`});
		return;
	}
	const timings = Object.entries(lab.timings)
		.map(([step, ms]) => `${step} ${ms} ms`)
		.join(', ');
	console.log(`[lab] ${lab.host} (${lab.daemon?.reused ? 'reused' : lab.daemon ? 'started' : 'given'}): ${timings}`);
	project.provide('lab', {host: lab.host, stateDir: lab.stateDir});

	// A lab daemon that was already running (scripts/lab-up.mjs) belongs to whoever started it.
	if (lab.daemon?.reused) return;

	return async () => {
		const client = clientForTransport(parseHost(lab.host, 'lab'), 30_000);
		try {
			// A private daemon is emptied; a contributor's own daemon loses only what the lab made.
			const containers = await client.docker.listContainers({
				all: true,
				...(lab.daemon ? {} : {filters: {label: [labLabel]}}),
			});
			await Promise.all(
				containers.map((c) =>
					client.docker
						.getContainer(c.Id)
						.remove({force: true, v: true})
						.catch(() => {}),
				),
			);
		} finally {
			client.close();
			await lab.daemon?.stop();
		}
	};
}
