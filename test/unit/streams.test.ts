import {once} from 'node:events';
import {describe, expect, it} from 'vitest';
import {JsonLineParser} from '../../source/daemon/event-lines.js';
import {PassThrough} from 'node:stream';
import {TunnelSocket, tunnelFailure} from '../../source/daemon/exec-tunnel.js';
import {StdioDemuxer} from '../../source/daemon/stdio-demux.js';
import {detachBytes} from '../../source/daemon/detach-keys.js';

function frame(type: number, text: string): Buffer {
	const payload = Buffer.from(text);
	const header = Buffer.alloc(8);
	header[0] = type;
	header.writeUInt32BE(payload.length, 4);
	return Buffer.concat([header, payload]);
}

describe('StdioDemuxer', () => {
	it('splits stdout and stderr frames even when chunks cut through headers and payloads', () => {
		const out: string[] = [];
		const err: string[] = [];
		const demuxer = new StdioDemuxer(
			(c) => out.push(c.toString()),
			(c) => err.push(c.toString()),
		);
		const stream = Buffer.concat([frame(1, 'HTTP/1.1 200 OK\r\n'), frame(2, 'dial-stdio log'), frame(1, 'body')]);
		for (let index = 0; index < stream.length; index += 3) demuxer.push(stream.subarray(index, index + 3));
		expect(out.join('')).toBe('HTTP/1.1 200 OK\r\nbody');
		expect(err.join('')).toBe('dial-stdio log');
		expect(demuxer.midFrame).toBe(false);
	});
});

describe('JsonLineParser', () => {
	it('handles several events in one chunk and one event across chunks', () => {
		const seen: Array<{Action: string}> = [];
		const parser = new JsonLineParser<{Action: string}>((value) => seen.push(value));
		parser.push('{"Action":"start"}\n{"Action":"die"}\n{"Act');
		parser.push('ion":"destroy"}\n');
		parser.push('not json\n{"Action":"pause"}');
		parser.end();
		expect(seen.map((event) => event.Action)).toEqual(['start', 'die', 'destroy', 'pause']);
	});
});

describe('tunnelFailure', () => {
	it('says there is no docker CLI when exec cannot find it', () => {
		const raw =
			'\u0001\u0000\u0000\u0000\u0000\u0000\u0000OCI runtime exec failed: exec failed: unable to start container process: exec: "docker": executable file not found in $PATH: unknown\r\n';
		expect(tunnelFailure(raw)).toMatchObject({message: 'no docker CLI in container; publish 2375 or install docker-cli', failure: 'no-cli'});
	});

	it('says the inner daemon is not answering when dial-stdio cannot connect', () => {
		const error = tunnelFailure('error during connect: dial unix /var/run/docker.sock: connect: no such file or directory');
		expect(error.failure).toBe('daemon-down');
		expect(error.message).toMatch(/^inner daemon not answering \(dial unix \/var\/run\/docker\.sock: connect: no such file or directory\)/);
	});
});

describe('TunnelSocket', () => {
	it('hands a paused reader every byte the daemon sent before the tunnel closed', async () => {
		const inner = new PassThrough();
		const tunnel = new TunnelSocket(Promise.resolve({socket: inner, execId: 'x'}));
		await tunnel.opened;
		const body = 'x'.repeat(1000);
		inner.write(frame(1, `HTTP/1.1 200 OK\r\n\r\n${body}`));
		inner.end();
		// The reader is busy elsewhere (backpressure) while the tunnel's stream ends and closes.
		await once(inner, 'close');
		expect(tunnel.readableLength).toBeGreaterThan(0);
		let received = '';
		for await (const chunk of tunnel) received += (chunk as Buffer).toString();
		expect(received).toBe(`HTTP/1.1 200 OK\r\n\r\n${body}`);
		expect(tunnel.destroyed).toBe(true);
	});

	it('is refused with one line when the stream announces a frame of 4 GiB, while the bytes keep coming', async () => {
		const inner = new PassThrough();
		const tunnel = new TunnelSocket(Promise.resolve({socket: inner, execId: 'x'}));
		await tunnel.opened;
		const failed = once(tunnel, 'error');
		const huge = Buffer.alloc(8);
		huge[0] = 1;
		huge.writeUInt32BE(0xffffffff, 4);
		inner.write(Buffer.concat([huge, Buffer.from('HTTP/1.1 200 OK\r\n')]));
		for (let index = 0; index < 16; index++) inner.write(Buffer.alloc(1024 * 1024, 0x78));
		const [error] = (await failed) as [Error];
		expect(error.message).toBe('exec tunnel: a stream frame of 4096 MiB announced, over 16 MiB (refused)');
		expect(tunnel.destroyed).toBe(true);
		expect(inner.destroyed).toBe(true);
	});

	it("still reads exec's own unframed error once the stream ends (no docker CLI)", async () => {
		const inner = new PassThrough();
		const tunnel = new TunnelSocket(Promise.resolve({socket: inner, execId: 'x'}));
		await tunnel.opened;
		const failed = once(tunnel, 'error');
		inner.write('OCI runtime exec failed: exec failed: unable to start container process: exec: "docker": ');
		inner.end('executable file not found in $PATH: unknown\r\n');
		const [error] = (await failed) as [Error];
		expect(error).toMatchObject({message: 'no docker CLI in container; publish 2375 or install docker-cli', failure: 'no-cli'});
	});
});

describe('detach keys', () => {
	it('reads Docker notation into the bytes the daemon watches for', () => {
		expect([...detachBytes('ctrl-p,ctrl-q')]).toEqual([0x10, 0x11]);
		expect([...detachBytes('ctrl-@, ctrl-[ ,X')]).toEqual([0, 27, 0x58]);
		expect(() => detachBytes('ctrl-pq')).toThrow('invalid detach keys "ctrl-pq"');
		expect(() => detachBytes('')).toThrow('invalid detach keys');
	});
});
