import {afterEach, describe, expect, it, vi} from 'vitest';
import {StdioDemuxer, StreamRefusedError, maxFrameBytes} from '../../source/daemon/stdio-demux.js';
import {timed} from './timed.js';

function header(type: number, length: number): Buffer {
	const bytes = Buffer.alloc(8);
	bytes[0] = type;
	bytes.writeUInt32BE(length, 4);
	return bytes;
}

/** A small seeded generator: the same "random" splits on every run. */
function seeded(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function collect(options?: ConstructorParameters<typeof StdioDemuxer>[2]) {
	const out: Buffer[] = [];
	const err: Buffer[] = [];
	const refusals: StreamRefusedError[] = [];
	const demuxer = new StdioDemuxer(
		(chunk) => out.push(chunk),
		(chunk) => err.push(chunk),
		{...options, onRefuse: (error) => refusals.push(error)},
	);
	return {demuxer, out, err, refusals};
}

describe('StdioDemuxer', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('hands on every byte of each stream exactly, however the chunks cut frames and headers', () => {
		const random = seeded(42);
		for (let round = 0; round < 60; round++) {
			const frames: Buffer[] = [];
			const expected = {out: [] as Buffer[], err: [] as Buffer[]};
			for (let index = 0; index < 40; index++) {
				const type = Math.floor(random() * 3); // stdin echo, stdout, stderr
				// Empty frames, tiny ones and some larger than a socket read.
				const length = [0, 1, 7, 8, 9, Math.floor(random() * 300), Math.floor(random() * 70_000)][Math.floor(random() * 7)]!;
				const payload = Buffer.alloc(length);
				for (let byte = 0; byte < length; byte++) payload[byte] = Math.floor(random() * 256);
				frames.push(header(type, length), payload);
				(type === 2 ? expected.err : expected.out).push(payload);
			}
			const stream = Buffer.concat(frames);
			const {demuxer, out, err, refusals} = collect();
			for (let offset = 0; offset < stream.length;) {
				// Mostly short chunks, some single bytes, some long ones.
				const size = random() < 0.3 ? 1 : Math.ceil(random() * (random() < 0.8 ? 20 : 100_000));
				demuxer.push(stream.subarray(offset, offset + size));
				offset += size;
			}
			expect(refusals).toEqual([]);
			expect(Buffer.concat(out).equals(Buffer.concat(expected.out))).toBe(true);
			expect(Buffer.concat(err).equals(Buffer.concat(expected.err))).toBe(true);
			expect(out.every((piece) => piece.length > 0) && err.every((piece) => piece.length > 0)).toBe(true);
			expect(demuxer.midFrame).toBe(false);
		}
	}, 30_000);

	it('streams a big frame as it arrives: pieces of the chunks, no copy of the frame held', () => {
		const {demuxer, out} = collect();
		const frameBytes = 8 * 1024 * 1024;
		const chunk = Buffer.alloc(64 * 1024, 0x61);
		demuxer.push(header(1, frameBytes));
		demuxer.push(chunk);
		// The first 64 KiB are out while the rest of the 8 MiB frame has not come yet.
		expect(out.map((piece) => piece.length)).toEqual([chunk.length]);
		expect(out[0]!.buffer).toBe(chunk.buffer);
		for (let sent = chunk.length; sent < frameBytes; sent += chunk.length) {
			demuxer.push(chunk);
			expect(demuxer.buffered).toBe(0);
		}
		expect(out.reduce((total, piece) => total + piece.length, 0)).toBe(frameBytes);
		expect(demuxer.midFrame).toBe(false);
		// Only a partial header is ever kept between chunks.
		demuxer.push(header(2, 5).subarray(0, 7));
		expect(demuxer.buffered).toBe(7);
	});

	it('keeps memory flat while a frame of 15 MiB streams through in 64 KiB chunks', () => {
		let received = 0;
		const demuxer = new StdioDemuxer(
			(chunk) => (received += chunk.length),
			() => {},
		);
		const frameBytes = 15 * 1024 * 1024;
		const chunk = Buffer.alloc(64 * 1024, 0x62);
		demuxer.push(header(1, frameBytes));
		const before = process.memoryUsage().arrayBuffers;
		let peak = 0;
		for (let sent = 0; sent < frameBytes; sent += chunk.length) {
			demuxer.push(chunk);
			peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
		}
		expect(received).toBe(frameBytes);
		// Holding the frame would take 15 MiB (and copying it per chunk far more).
		expect(peak).toBeLessThan(4 * 1024 * 1024);
	});

	it('costs linear time for a big frame in 1-byte chunks (as for tiny frames)', () => {
		const payloadBytes = 256 * 1024;
		const byte = Buffer.from([0x63]);
		const tinyFrames = Buffer.concat(Array.from({length: Math.ceil((payloadBytes + 8) / 9)}, () => Buffer.concat([header(1, 1), byte])));
		const run = (bytes: (index: number) => Buffer, budgetMs: number) => {
			let received = 0;
			const demuxer = new StdioDemuxer(
				(chunk) => (received += chunk.length),
				() => {},
			);
			const took = timed(payloadBytes + 8, budgetMs, (index) => demuxer.push(bytes(index)));
			return {took, received};
		};
		const bigHeader = header(1, payloadBytes);
		const oneBig = (index: number) => (index < 8 ? bigHeader.subarray(index, index + 1) : byte);
		const oneTiny = (index: number) => tinyFrames.subarray(index, index + 1);
		run(oneTiny, 10_000); // warm up (the JIT)
		const linear = run(oneTiny, 10_000);
		const limit = 20 * linear.took + 500;
		const big = run(oneBig, limit);
		expect(big.took).toBeLessThan(limit);
		expect(big.received).toBe(payloadBytes);
	}, 60_000); // a loaded machine is slow for both runs alike

	it('refuses a frame announced over the limit at its header, with one line, and reads nothing after it', () => {
		const {demuxer, out, err, refusals} = collect();
		demuxer.push(Buffer.concat([header(1, 3), Buffer.from('abc'), header(1, 0xffffffff)]));
		for (let index = 0; index < 64; index++) demuxer.push(Buffer.alloc(1024 * 1024, 0x64));
		expect(Buffer.concat(out).toString()).toBe('abc');
		expect(err).toEqual([]);
		expect(refusals).toHaveLength(1);
		expect(refusals[0]!.reason).toBe('too-large');
		expect(refusals[0]!.message).toBe('a stream frame of 4096 MiB announced, over 16 MiB (refused)');
		// The largest frame allowed still goes through.
		const fits = collect();
		fits.demuxer.push(header(1, maxFrameBytes));
		fits.demuxer.push(Buffer.alloc(10));
		expect(fits.refusals).toEqual([]);
		expect(fits.out[0]!.length).toBe(10);
	});

	it('refuses bytes that are not a frame header (an error written unframed)', () => {
		const {demuxer, out, refusals} = collect();
		demuxer.push(Buffer.from('OCI runtime exec failed: exec failed'));
		expect(out).toEqual([]);
		expect(refusals.map((error) => error.reason)).toEqual(['not-multiplexed']);
	});

	it("sends Docker's in-band error frames (type 3) to stderr", () => {
		const {demuxer, out, err} = collect();
		demuxer.push(Buffer.concat([header(3, 4), Buffer.from('oops')]));
		expect(out).toEqual([]);
		expect(Buffer.concat(err).toString()).toBe('oops');
	});

	it('ends a stream that must progress once it is silent for the stall deadline, and only then', () => {
		vi.useFakeTimers();
		const {demuxer, refusals} = collect({stallMs: 1000});
		vi.advanceTimersByTime(900);
		demuxer.push(header(1, 10).subarray(0, 4));
		vi.advanceTimersByTime(900);
		demuxer.push(Buffer.concat([header(1, 10).subarray(4), Buffer.from('01234')]));
		vi.advanceTimersByTime(900);
		expect(refusals).toEqual([]);
		vi.advanceTimersByTime(200);
		expect(refusals.map((error) => [error.reason, error.message])).toEqual([['stalled', 'stream stalled (nothing for 1 s)']]);

		// Without a deadline (logs -f, an interactive exec) silence is fine; a stopped stream has none either.
		const idle = collect();
		const stopped = collect({stallMs: 1000});
		stopped.demuxer.stop();
		vi.advanceTimersByTime(60_000);
		expect([...idle.refusals, ...stopped.refusals]).toEqual([]);
	});
});
