import type Docker from 'dockerode';
import type {DaemonClient} from './client.js';

/** Images on a daemon: is one there, pull one within a bound, the tags it holds. */

/** True when the daemon has `image` (by name, tag or ID). */
export async function hasImage(docker: Docker, image: string): Promise<boolean> {
	try {
		await docker.getImage(image).inspect();
		return true;
	} catch {
		return false;
	}
}

/**
 * Pull with a bound: offline hosts should fail in seconds, not hang. Undefined when the image
 * was pulled; otherwise why not, on one line.
 */
export async function tryPull(client: DaemonClient, image: string, timeoutMs: number): Promise<string | undefined> {
	try {
		const stream = await client.slow.pull(image, {abortSignal: AbortSignal.timeout(timeoutMs)} as object);
		await new Promise<void>((resolve, reject) => {
			client.slow.modem.followProgress(stream, (error: Error | null, output: Array<{error?: string}>) => {
				const failed = error ?? output.find((entry) => entry.error);
				if (failed) reject(new Error(failed instanceof Error ? failed.message : failed.error));
				else resolve();
			});
		});
		return undefined;
	} catch (error) {
		return (error as Error).message.replace(/\s+/g, ' ').trim();
	}
}

export interface ImageTag {
	/** repository:tag */
	name: string;
	/** Bytes, of the image the tag names. */
	size: number;
}

/** Every tag on the daemon (untagged images left out), sorted by name. */
export async function imageTags(client: DaemonClient): Promise<ImageTag[]> {
	const images = await client.docker.listImages();
	return images
		.flatMap((image) => (image.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>').map((name) => ({name, size: image.Size})))
		.sort((a, b) => a.name.localeCompare(b.name));
}
