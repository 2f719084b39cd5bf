import {homedir} from 'node:os';
import {join} from 'node:path';
import {clientForTransport} from '../daemon/client.js';
import type {Endpoint} from '../daemon/endpoint.js';
import {UserError} from '../errors.js';
import {ensureDemoImages, ensureDemoTopology, type DemoProgress} from './demo.js';
import {checkPrerequisites, startPrivateDockerd, type PrivateDockerd} from './private-dockerd.js';

/**
 * `--sandbox`: a private dockerd of dockerception's own (state under
 * $XDG_STATE_HOME/dockerception/sandbox), for a machine without Docker or a user who would
 * rather not touch theirs. The test lab runs on the same code.
 */
export function sandboxStateDir(env: NodeJS.ProcessEnv = process.env): string {
	return join(env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state'), 'dockerception', 'sandbox');
}

/** Undefined when a sandbox can run here; otherwise exactly what to do first. */
export function sandboxProblem(): string | undefined {
	const prerequisites = checkPrerequisites();
	if (!prerequisites.root && !prerequisites.dockerd)
		return 'a sandbox needs root and dockerd: sudo apt-get install -y docker.io, then run dockerception --sandbox with sudo';
	if (!prerequisites.root) return 'a sandbox runs its own dockerd, which needs root: run dockerception --sandbox with sudo';
	if (!prerequisites.dockerd) return "a sandbox needs the dockerd binary: apt-get install -y docker.io (or your distribution's docker package)";
	return undefined;
}

export interface Sandbox {
	endpoint: Endpoint;
	daemon: PrivateDockerd;
	/** Stop the private daemon (its containers stop with it and come back on the next start). */
	stop(): Promise<void>;
}

export async function startSandbox(options: {demo: boolean; progress: DemoProgress; stateDir?: string}): Promise<Sandbox> {
	const problem = sandboxProblem();
	if (problem) throw new UserError(problem);
	const stateDir = options.stateDir ?? sandboxStateDir();
	options.progress('starting the sandbox daemon', 0, 1);
	const daemon = await startPrivateDockerd({stateDir});
	const endpoint: Endpoint = {name: 'sandbox', url: daemon.host, source: '--sandbox', transport: {kind: 'unix', socketPath: daemon.socketPath}};
	if (options.demo) {
		const client = clientForTransport(endpoint.transport, 60_000);
		try {
			const images = await ensureDemoImages(client, stateDir, options.progress);
			await ensureDemoTopology(client, daemon.socketPath, images, options.progress, join(stateDir, 'demo-built'));
		} catch (error) {
			await daemon.stop();
			throw error;
		} finally {
			client.close();
		}
	}
	return {endpoint, daemon, stop: () => daemon.stop()};
}

/** A one-line progress bar for the steps before the TUI opens. */
export function progressLine(step: string, done: number, total: number, width = 24): string {
	const filled = total > 0 ? Math.round((width * done) / total) : 0;
	return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${step}`;
}
