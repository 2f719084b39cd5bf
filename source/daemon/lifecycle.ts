import type {DaemonClient} from './client.js';

export type LifecycleOperation = 'start' | 'stop' | 'restart' | 'pause' | 'unpause' | 'remove';

/** Container lifecycle through the daemon's API; the tree hears the result from the events. */
export async function runLifecycle(client: DaemonClient, containerId: string, operation: LifecycleOperation): Promise<void> {
	// Streams client: stopping waits for the grace period, longer than a request timeout.
	const container = client.streams.getContainer(containerId);
	switch (operation) {
		case 'start':
			await container.start();
			return;
		case 'stop':
			await container.stop({t: 10});
			return;
		case 'restart':
			await container.restart({t: 10});
			return;
		case 'pause':
			await container.pause();
			return;
		case 'unpause':
			await container.unpause();
			return;
		case 'remove':
			// With its anonymous volumes: a DinD's /var/lib/docker would otherwise stay behind.
			await container.remove({force: true, v: true});
			return;
	}
}
