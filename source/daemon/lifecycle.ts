import type {DaemonClient} from './client.js';

const lifecycleDeadlineMs = 60_000;

export type LifecycleOperation = 'start' | 'stop' | 'restart' | 'pause' | 'unpause' | 'remove';

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
			// With its anonymous volumes: a DinD's /var/lib/docker would otherwise stay behind.
			await container.remove({force: true, v: true, abortSignal} as object);
			return;
	}
}
