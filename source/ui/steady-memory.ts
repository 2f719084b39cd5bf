import {setFlagsFromString} from 'node:v8';

/** V8 lines known to read the flag each time they grow the young generation (Node 20 to 26). */
const knownV8 = {first: 11, last: 14};

/**
 * V8 grows the young generation, up to 32 MB, whenever objects outlive a collection, and keeps
 * it. Start-up and the first frame need that room; the frames after allocate little and keep
 * less. A second after discovery settles (the first full frame drawn), the young generation stays
 * the size it has: V8 reads this flag each time it would grow it. With 1000 containers, 122 MB
 * resident becomes about 112 MB, and key press to frame stays within 25 ms at p90
 * (bench/big-tree.mjs).
 * Only on V8 lines known to have the flag: V8 prints an unknown one to stderr, over the TUI.
 * The code cache is saved before (source/launcher.ts): its data carries a hash of the flags.
 */
export function keepYoungGenerationSize(): void {
	const major = Number(process.versions.v8.split('.')[0]);
	if (major < knownV8.first || major > knownV8.last) return;
	setFlagsFromString('--semi-space-growth-factor=1');
}
