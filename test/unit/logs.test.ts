import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import type {DaemonClient} from '../../source/daemon/client.js';
import {followLogs, lastLogLines, logTextLines, type LogLine} from '../../source/daemon/logs.js';

/** One frame of the logs endpoint for a container without a TTY (1 stdout, 2 stderr). */
function frame(type: number, text: string | Buffer): Buffer {
	const payload = Buffer.from(text);
	const header = Buffer.alloc(8);
	header[0] = type;
	header.writeUInt32BE(payload.length, 4);
	return Buffer.concat([header, payload]);
}

/** A client whose container answers inspect and logs with what it is given. */
function fakeClient(container: {tty: boolean; logs: unknown; stream?: PassThrough}): DaemonClient {
	const handle = {
		inspect: async () => ({Config: {Tty: container.tty}}),
		logs: async () => container.logs,
	};
	return {
		docker: {getContainer: () => handle},
		streams: {getContainer: () => ({logs: async () => container.stream})},
	} as unknown as DaemonClient;
}

describe('log frames', () => {
	it('reads a frame whose length byte is 0x0a (a newline) as a header, not as a line break', () => {
		const line = 'ten bytes\n'; // 10 bytes: the header's last byte is 0x0a
		const raw = Buffer.concat([frame(1, line), frame(2, 'oops 12345\n'), frame(1, line)]);
		expect(raw[7]).toBe(0x0a);
		expect(logTextLines(raw, false)).toEqual([
			{stream: 'stdout', text: 'ten bytes'},
			{stream: 'stderr', text: 'oops 12345'},
			{stream: 'stdout', text: 'ten bytes'},
		]);
	});

	it('reads a frame whose length has 0x0a before a printable byte (0x0a41) without a stray character', () => {
		// Split at newlines first, the header's last byte "A" would begin the line.
		const long = `${'x'.repeat(0x0a41 - 1)}\n`;
		const raw = Buffer.concat([frame(1, long), frame(2, 'after\n')]);
		expect(raw.subarray(4, 8)).toEqual(Buffer.from([0, 0, 0x0a, 0x41]));
		expect(logTextLines(raw, false)).toEqual([
			{stream: 'stdout', text: 'x'.repeat(0x0a41 - 1)},
			{stream: 'stderr', text: 'after'},
		]);
	});

	it('joins a line cut across frames, keeps each stream apart, and keeps a last line without newline', () => {
		const raw = Buffer.concat([frame(1, 'hel'), frame(2, 'warn'), frame(1, 'lo\r\nnext'), frame(2, 'ing\n'), frame(1, ' one')]);
		expect(logTextLines(raw, false)).toEqual([
			{stream: 'stdout', text: 'hello'},
			{stream: 'stderr', text: 'warning'},
			{stream: 'stdout', text: 'next one'},
		]);
	});

	it('keeps a UTF-8 character whole when a frame cuts through it', () => {
		const bytes = Buffer.from('grüße\n');
		const cut = bytes.indexOf(0xc3) + 1; // between the two bytes of ü
		const raw = Buffer.concat([frame(1, bytes.subarray(0, cut)), frame(1, bytes.subarray(cut))]);
		expect(logTextLines(raw, false)).toEqual([{stream: 'stdout', text: 'grüße'}]);
	});

	it("reads a TTY container's logs as one plain stream (no frames)", () => {
		const raw = Buffer.from('\u0001\u0000\u0000\u0000 not a header\r\nprompt $ ');
		expect(logTextLines(raw, true)).toEqual([
			{stream: 'stdout', text: '\u0001\u0000\u0000\u0000 not a header'},
			{stream: 'stdout', text: 'prompt $ '},
		]);
	});
});

describe('lastLogLines', () => {
	it('returns the last non-empty lines of both streams, framed by the length byte 0x0a too', async () => {
		const raw = Buffer.concat([frame(1, 'starting\n'), frame(2, '\n'), frame(2, 'failed: x\n'), frame(1, '  exit 1  \n'), frame(1, 'ten bytes\n')]);
		const client = fakeClient({tty: false, logs: raw});
		expect(await lastLogLines(client, 'c1', 3)).toEqual(['failed: x', 'exit 1', 'ten bytes']);
	});

	it("reads a TTY container's logs unframed, also when the modem parsed them as JSON", async () => {
		expect(await lastLogLines(fakeClient({tty: true, logs: Buffer.from('one\r\ntwo\r\n')}), 'c1', 5)).toEqual(['one', 'two']);
		expect(await lastLogLines(fakeClient({tty: true, logs: 42}), 'c1', 5)).toEqual(['42']);
	});
});

describe('followLogs', () => {
	it('hands over whole lines of each stream as frames arrive, in chunks that cut through headers', async () => {
		const stream = new PassThrough();
		const seen: LogLine[] = [];
		const stop = await followLogs(fakeClient({tty: false, logs: undefined, stream}), 'c1', (lines) => seen.push(...lines));
		const raw = Buffer.concat([frame(1, 'ten bytes\n'), frame(2, 'to stderr\n'), frame(1, 'part '), frame(1, 'two\n')]);
		for (let index = 0; index < raw.length; index += 5) stream.write(raw.subarray(index, index + 5));
		await new Promise((resolve) => setImmediate(resolve));
		expect(seen).toEqual([
			{stream: 'stdout', text: 'ten bytes'},
			{stream: 'stderr', text: 'to stderr'},
			{stream: 'stdout', text: 'part two'},
		]);
		stop();
		expect(stream.destroyed).toBe(true);
	});
});
