import {Transform} from 'node:stream';
import type {DaemonClient} from './client.js';

export interface CopyProgress {
	(bytes: number): void;
}

/**
 * Stream an image from one daemon into another (GET /images/{name}/get into
 * POST /images/load): no temporary file, so a DinD without a registry gets images.
 */
export async function copyImage(from: DaemonClient, to: DaemonClient, image: string, onProgress?: CopyProgress): Promise<number> {
	// Both ends are streams: no request deadline, an image may take minutes.
	const source = (await from.streams.getImage(image).get()) as NodeJS.ReadableStream;
	let bytes = 0;
	const counter = new Transform({
		transform(chunk: Buffer, _encoding, callback) {
			bytes += chunk.length;
			onProgress?.(bytes);
			callback(null, chunk);
		},
	});
	source.on('error', (error) => counter.destroy(error as Error));
	source.pipe(counter);
	const response = (await to.slow.loadImage(counter as unknown as string, {quiet: true})) as NodeJS.ReadableStream;
	const output = await new Promise<string>((resolve, reject) => {
		let text = '';
		// A few JSON lines; the answer limit bounds what a daemon may send instead.
		response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
		response.on('end', () => resolve(text));
		response.on('error', reject);
		counter.on('error', reject);
	});
	for (const line of output.split('\n')) {
		if (!line.trim()) continue;
		try {
			const message = JSON.parse(line) as {error?: string; errorDetail?: {message?: string}};
			if (message.error) throw new Error(`loading ${image}: ${message.errorDetail?.message ?? message.error}`);
		} catch (error) {
			if (error instanceof SyntaxError) continue;
			throw error;
		}
	}
	return bytes;
}
