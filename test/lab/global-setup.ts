import {spawnSync} from 'node:child_process';
import {chmodSync, chownSync, cpSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import type {TestProject} from 'vitest/node';
import {clientForTransport} from '../../source/daemon/client.js';
import {parseHost} from '../../source/daemon/endpoint.js';
import {oneLine} from '../../source/errors.js';
import {provisionLab, type ProvisionedLab} from './provision.js';
import {labLabel} from './names.js';
import {seatIds, type SeatUser} from './seat-user.js';

/** The docker-group seat as the tests use it (seat.ts). */
export interface SeatState extends SeatUser {
	/** The lab daemon's socket for the seat's group. */
	host: string;
	/** dist/bin/cli.js where the seat's user can read it. */
	cli: string;
	/** An empty XDG_RUNTIME_DIR of the seat's user. */
	runtimeDir: string;
}

export interface LabState {
	/** DOCKERCEPTION_E2E=0: end-to-end tests are reported as skipped. */
	skip?: boolean;
	/** Why the lab could not be provisioned: end-to-end tests fail with this line. */
	error?: string;
	host?: string;
	stateDir?: string;
	/** Only in the e2e-group project. */
	seat?: SeatState;
	/** Why the e2e-group project has no seat; `seatSkipped`: the tests are reported as skipped. */
	seatProblem?: string;
	seatSkipped?: boolean;
}

declare module 'vitest' {
	export interface ProvidedContext {
		lab: LabState;
		/** Who runs the CLI: root (the default), or a non-root user of the group that owns the socket. */
		seat?: 'root' | 'group';
	}
	/** `{meta: {allowSkip: 'why'}}` in a test's options: CI lists its skip instead of failing it (.ci/summary.mjs). */
	export interface TaskMeta {
		allowSkip?: string;
	}
}

/**
 * What the seat's user needs besides the socket: the CLI where it can read it (a clone under
 * root's home is out of its reach: then a copy of dist/bin) and an XDG_RUNTIME_DIR of its own.
 */
function prepareSeat(user: SeatUser, host: string): {seat: SeatState; remove: () => void} {
	const made: string[] = [];
	let cli = resolve('dist/bin/cli.js');
	const readable = (path: string) => spawnSync('setpriv', [...seatIds(user), 'test', '-r', path], {stdio: 'ignore'}).status === 0;
	if (!readable(cli) || !readable(resolve('dist/bin/dockerception.cjs'))) {
		const copy = mkdtempSync(join(tmpdir(), 'dcpt-seat-cli-'));
		made.push(copy);
		chmodSync(copy, 0o755);
		cpSync(resolve('dist/bin'), join(copy, 'bin'), {recursive: true});
		cli = join(copy, 'bin', 'cli.js');
	}
	const runtimeDir = mkdtempSync(join(tmpdir(), 'dcpt-seat-run-'));
	made.push(runtimeDir);
	chownSync(runtimeDir, user.uid, user.gid);
	return {
		seat: {...user, host, cli, runtimeDir},
		remove: () => {
			for (const path of made) rmSync(path, {recursive: true, force: true});
		},
	};
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
	const state: LabState = {host: lab.host, stateDir: lab.stateDir};
	const teardowns: Array<() => void | Promise<void>> = [];
	if (project.getProvidedContext().seat === 'group') {
		if (lab.seat) {
			const prepared = prepareSeat(lab.seat.user, lab.seat.host);
			teardowns.push(prepared.remove);
			state.seat = prepared.seat;
			console.log(`[lab] docker-group seat: user ${lab.seat.user.name} (uid ${lab.seat.user.uid}, group ${lab.seat.user.group}) on ${lab.seat.host}`);
		} else {
			state.seatProblem = lab.seatProblem ?? 'no docker-group seat';
			// A daemon of the contributor's own: nothing to give a group; anything else is a failure.
			state.seatSkipped = Boolean(process.env.DOCKERCEPTION_LAB_HOST);
			console.log(`[lab] docker-group seat ${state.seatSkipped ? 'skipped' : 'failed'}: ${state.seatProblem}`);
		}
	}
	project.provide('lab', state);

	// A lab daemon that was already running (scripts/lab-up.mjs, or the other e2e project's
	// setup) belongs to whoever started it.
	if (!lab.daemon?.reused) teardowns.push(() => emptyAndStop(lab));
	if (teardowns.length === 0) return;
	return async () => {
		for (const teardown of teardowns) await teardown();
	};
}

async function emptyAndStop(lab: ProvisionedLab): Promise<void> {
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
}
