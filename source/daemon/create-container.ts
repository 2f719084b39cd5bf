import type Docker from 'dockerode';
import type {DaemonClient} from './client.js';
import {managedLabels} from './labels.js';

/**
 * An entrypoint that keeps a container up doing nothing and stops at once on SIGTERM (a CLI
 * image's own entrypoint would start a daemon or exit). Give it with `Cmd: []`.
 */
export const keepAliveEntrypoint = ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 3600 & wait $!; done'];

/** Start a container just created; one that does not start is removed again (with its volumes). */
export async function startOrRemove(container: Docker.Container): Promise<void> {
	try {
		await container.start();
	} catch (error) {
		await container.remove({force: true, v: true}).catch(() => {});
		throw error;
	}
}

/**
 * A plain container dockerception made (the TUI's `c`): `image` with a TTY and open stdin, so a
 * shell image stays up and can be attached to; `command` runs under `sh -c` when given.
 */
export async function createPlainContainer(client: DaemonClient, spec: {image: string; command?: string}): Promise<{id: string; name: string}> {
	const container = await client.docker.createContainer({
		Image: spec.image,
		...(spec.command ? {Cmd: ['sh', '-c', spec.command]} : {}),
		Labels: managedLabels('plain'),
		Tty: true,
		OpenStdin: true,
	});
	await startOrRemove(container);
	const info = await container.inspect();
	return {id: info.Id, name: info.Name.replace(/^\//, '')};
}
