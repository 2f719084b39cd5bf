import type {DaemonClient} from './client.js';

const lifecycleDeadlineMs = 60_000;

/**
 * `remove` keeps the container's anonymous volumes, as `docker rm -f` does; `remove-with-volumes`
 * is `docker rm -fv`, for a sandbox whose /var/lib/docker volume would otherwise stay behind
 * (asked for only once the user was told what that volume holds).
 */
export type LifecycleOperation = 'start' | 'stop' | 'restart' | 'pause' | 'unpause' | 'remove' | 'remove-with-volumes';

/** Container lifecycle through the daemon's API; the tree hears the result from the events. */
export async function runLifecycle(client: DaemonClient, containerId: string, operation: LifecycleOperation): Promise<void> {
	// Stopping waits for the grace period, longer than a request timeout: the slow client, with
	// a deadline of its own (10 s of grace, the kill, and a DinD's volumes to remove).
	const container = client.slow.getContainer(containerId);
	const abortSignal = AbortSignal.timeout(lifecycleDeadlineMs);
	switch (operation) {
		case 'start':
			await container.start({abortSignal} as object);
			return;
		case 'stop':
			await container.stop({t: 10, abortSignal} as object);
			return;
		case 'restart':
			await container.restart({t: 10, abortSignal} as object);
			return;
		case 'pause':
			await container.pause({abortSignal} as object);
			return;
		case 'unpause':
			await container.unpause({abortSignal} as object);
			return;
		case 'remove':
			await container.remove({force: true, abortSignal} as object);
			return;
		case 'remove-with-volumes':
			await container.remove({force: true, v: true, abortSignal} as object);
			return;
	}
}
